"""An overdue invoice walks a town through past due, read-only and suspended; paying lifts it.

Time is moved by the Stripe stand-in's clock (like Stripe's test clocks) and by
``now=`` for the hourly dunning run.
"""

import datetime as dt
import json
from typing import Any

import pytest
import stripe
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.billing.dunning import billing_dunning_advance
from rathaus.billing.models import BillingAccount, DunningState
from rathaus.billing.subscriptions import billing_subscription_sync
from rathaus.billing.tasks import billing_event_apply
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import kinds
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.billing.helpers import allow_only, signed, standin, stripe_events
from tests.factories import PASSWORD
from tests.html import text_of

DAY = 86400


@pytest.fixture
def admin(town_a: Municipality) -> User:
    with tenant_context(town_a):
        user = staff_add(
            town=town_a, email="kasse@tangerhuette.de", roles=[TOWN_ADMIN], actor=Actor.system("t")
        )
        user.set_password(PASSWORD)
        user.save()
    return user


@pytest.fixture
def staff(client_a: Client, admin: User) -> Client:
    answer = client_a.post("/accounts/login/", {"username": admin.email, "password": PASSWORD})
    assert answer.status_code == 302
    return client_a


@pytest.fixture
def account(town_a: Municipality, stripe_api: stripe.StripeClient, admin: User) -> BillingAccount:
    allow_only(town_a, "contact", "news")
    billing_subscription_sync(town=town_a)
    account = BillingAccount.objects.get(town=town_a)
    assert account.days_until_due == 30
    return account


def _deliver_new_events(
    api: stripe.StripeClient, public_client: Client, capture: Any, monkeypatch: Any
) -> None:
    """Delivers the stand-in's events (signed, as Stripe does) and applies them, like the worker."""
    queued: list[str] = []
    monkeypatch.setattr(
        billing_event_apply, "apply_async", lambda args, **kw: queued.append(args[0])
    )
    with capture(execute=True):
        for event in stripe_events(api):
            body = json.dumps(event.to_dict()).encode()
            public_client.post(
                "/billing/webhooks/stripe/",
                body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signed(body),
            )
    for event_id in queued:
        billing_event_apply.apply(args=(event_id,), throw=True)


def _audited(town: Municipality) -> list[tuple[Any, Any]]:
    with tenant_context(town):
        entries = AuditEntry.objects.filter(action="billing.dunning").order_by("created_at", "pk")
        return [(entry.before, entry.after) for entry in entries]


def _mails(town: Municipality) -> list[tuple[str, str]]:
    with tenant_context(town):
        rows = OutboxMessage.objects.filter(kind="billing.dunning").order_by("pk")
        return [(row.address, _subject(row)) for row in rows]


def _subject(row: OutboxMessage) -> str:
    rendered = kinds[row.kind].render(row)
    assert rendered is not None
    return str(rendered.subject)


def test_an_unpaid_invoice_walks_the_town_through_dunning_and_paying_lifts_it(
    account: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    staff: Client,
    town_a: Municipality,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    deliver = lambda: _deliver_new_events(  # noqa: E731
        stripe_api, public_client, django_capture_on_commit_callbacks, monkeypatch
    )
    deliver()
    assert "Zahlung überfällig" not in text_of(staff.get("/staff/").content.decode())

    # 31 days on: the invoice is past its due date; Stripe says the subscription is past_due.
    standin("/_billing/clock", advance=31 * DAY)
    deliver()
    account.refresh_from_db()
    assert account.dunning_state == DunningState.PAST_DUE
    page = text_of(staff.get("/staff/").content.decode())
    assert "Zahlung überfällig" in page
    assert "Eine Rechnung an Ihre Kommune ist überfällig" in page
    assert staff.post("/staff/branding/", {}).status_code != 403  # still works

    start = account.past_due_since
    assert start is not None
    # The grace period the vendor set (14 days) runs out: staff may only read.
    assert billing_dunning_advance(now=start + dt.timedelta(days=14, hours=1)) == 1
    account.refresh_from_db()
    assert account.dunning_state == DunningState.READ_ONLY
    held = staff.post("/staff/team/add/", {"email": "neu@tangerhuette.de"})
    assert held.status_code == 403
    assert "Ihre Änderung wurde nicht gespeichert" in text_of(held.content.decode())
    assert staff.get("/staff/team/").status_code == 200
    assert public_client_for(town_a).get("/").status_code == 200  # citizens go on

    # Later still: suspended; the back office shows billing's page only.
    billing_dunning_advance(now=start + dt.timedelta(days=43))
    account.refresh_from_db()
    assert account.dunning_state == DunningState.SUSPENDED
    assert staff.get("/staff/team/")["Location"] == "/staff/billing/"
    billing_page = text_of(staff.get("/staff/billing/").content.decode())
    assert "gesperrt" in billing_page
    assert public_client_for(town_a).get("/").status_code == 200

    # Running the hourly job again changes nothing more.
    assert billing_dunning_advance(now=start + dt.timedelta(days=44)) == 0

    # The town pays (a bank transfer the vendor records at Stripe): all lifted at once.
    open_renewals = [
        i
        for i in stripe_api.v1.invoices.list(params={"customer": account.stripe_customer_id}).data
        if i.status == "open"
    ]
    for unpaid in open_renewals:
        stripe_api.v1.invoices.pay(unpaid.id, params={"paid_out_of_band": True})
    deliver()
    account.refresh_from_db()
    assert account.dunning_state == DunningState.GOOD
    assert account.past_due_since is None
    assert staff.get("/staff/team/").status_code == 200
    assert "Zahlung überfällig" not in text_of(staff.get("/staff/").content.decode())

    assert _audited(town_a) == [
        ("good", "past_due"),
        ("past_due", "read_only"),
        ("read_only", "suspended"),
        ("suspended", "good"),
    ]
    assert [address for address, _subject in _mails(town_a)] == ["kasse@tangerhuette.de"] * 4
    assert [subject for _address, subject in _mails(town_a)] == [
        "Zahlungsstand von Tangerhütte: überfällig",
        "Zahlungsstand von Tangerhütte: nur lesen",
        "Zahlungsstand von Tangerhütte: gesperrt",
        "Zahlungsstand von Tangerhütte: in Ordnung",
    ]


def public_client_for(town: Municipality) -> Client:
    from tests.conftest import host_client

    return host_client(town.domains.get(is_primary=True).domain)


def test_a_town_that_pays_in_time_is_never_held(
    account: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    town_a: Municipality,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    [invoice] = stripe_api.v1.invoices.list(params={"customer": account.stripe_customer_id}).data
    stripe_api.v1.invoices.pay(invoice.id, params={"paid_out_of_band": True})
    standin("/_billing/clock", advance=31 * DAY)  # the next month's invoice is not due yet
    _deliver_new_events(stripe_api, public_client, django_capture_on_commit_callbacks, monkeypatch)

    assert billing_dunning_advance(now=timezone.now() + dt.timedelta(days=60)) == 0
    account.refresh_from_db()
    assert account.dunning_state == DunningState.GOOD
    assert _audited(town_a) == []
