"""The town admin's billing page and the vendor console's revenue page."""

from decimal import Decimal

import pytest
import stripe
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.billing.models import BillingAccount, DunningState, Invoice
from rathaus.billing.selectors import all_tenants_billing_summary
from rathaus.billing.subscriptions import billing_subscription_sync
from rathaus.billing.webhooks import stripe_event_apply, stripe_event_store
from rathaus.platform.audit.services import Actor
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.billing.helpers import allow_only, stripe_events
from tests.factories import PASSWORD, UserFactory
from tests.html import text_of


def _login(client: Client, town: Municipality, email: str, roles: list[str]) -> Client:
    with tenant_context(town):
        user = staff_add(town=town, email=email, roles=roles, actor=Actor.system("t"))
        user.set_password(PASSWORD)
        user.save()
    assert (
        client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code
        == 302
    )
    return client


@pytest.fixture
def billed(town_a: Municipality, stripe_api: stripe.StripeClient) -> BillingAccount:
    allow_only(town_a, "contact", "news")
    billing_subscription_sync(town=town_a)
    for event in stripe_events(stripe_api, "invoice.finalized"):
        stripe_event_store(event=event)
        stripe_event_apply(event_id=event.id)
    return BillingAccount.objects.get(town=town_a)


def test_the_town_admin_sees_plan_paid_modules_and_invoices_with_pdf_links(
    billed: BillingAccount, client_a: Client, town_a: Municipality
) -> None:
    admin = _login(client_a, town_a, "kasse@tangerhuette.de", [TOWN_ADMIN])

    page = text_of(admin.get("/staff/billing/").content.decode())

    assert "monatlich" in page
    assert "Rechnung, 30 Tage Zahlungsziel" in page
    assert "Kontakt" in page
    assert "19,00 € monatlich" in page
    assert "29,00 € monatlich" in page
    assert "Nächste Rechnung 48,00 €" in page
    [invoice] = Invoice.objects.filter(account=billed)
    html = admin.get("/staff/billing/").content.decode()
    assert f'href="{invoice.pdf_url}"' in html
    assert f"Rechnung {invoice.number} (PDF)" in page
    assert "Abrechnung" in text_of(admin.get("/staff/").content.decode())  # in the menu


def test_a_clerk_does_not_see_the_billing_page(
    billed: BillingAccount, client_a: Client, town_a: Municipality
) -> None:
    clerk = _login(client_a, town_a, "termine@tangerhuette.de", ["appointments.clerk"])
    assert clerk.get("/staff/billing/").status_code == 403


def test_another_towns_admin_sees_none_of_these_invoices(
    billed: BillingAccount, client_b: Client, town_b: Municipality
) -> None:
    admin_b = _login(client_b, town_b, "kasse@hohe-boerde.de", [TOWN_ADMIN])

    page = text_of(admin_b.get("/staff/billing/").content.decode())

    assert "noch kein Kundenkonto" in page
    assert Invoice.objects.get(account=billed).number not in page


def test_the_console_shows_mrr_towns_past_due_and_churned(
    billed: BillingAccount,
    public_client: Client,
    town_b: Municipality,
    stripe_api: stripe.StripeClient,
) -> None:
    allow_only(town_b, "appointments")
    billing_subscription_sync(town=town_b)
    account_b = BillingAccount.objects.get(town=town_b)
    BillingAccount.objects.filter(pk=account_b.pk).update(interval="year")
    BillingAccount.objects.filter(pk=billed.pk).update(dunning_state=DunningState.PAST_DUE)

    summary = all_tenants_billing_summary()
    # 19 + 29 a month for Tangerhütte, and 790 a year (65.83 a month) for Hohe Börde.
    assert summary.mrr == Decimal("48.00") + Decimal("65.83")
    assert [a.town.name for a in summary.past_due] == ["Tangerhütte"]

    BillingAccount.objects.filter(pk=account_b.pk).update(subscription_status="canceled")
    public_client.force_login(UserFactory.create(email="vendor@rathaus.example", is_staff=True))
    page = text_of(public_client.get("/console/billing/").content.decode())
    assert "Monatlich wiederkehrender Umsatz (netto) 48,00 €" in page
    assert "Im Rückstand 1" in page
    assert "Gekündigt 1" in page
    assert "Hohe Börde" in page


def test_the_town_admin_page_is_for_staff_only(
    client_a: Client, town_a: Municipality, db: None
) -> None:
    answer = client_a.get("/staff/billing/")
    assert answer.status_code == 302
    assert "/accounts/login/" in answer["Location"]
