"""Refunds by staff: full or partial, at once up to the town's amount, above it only once a second
person frees it; each reaches the provider once and is audited."""

import json
from decimal import Decimal

import stripe
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.payments.models import Payment, Refund
from rathaus.platform.payments.services import payment_mark_paid
from rathaus.tenants.models import Municipality
from tests.platform.payments.conftest import SYSTEM, ask, invoice_on, stripe_on, town_admin
from tests.stripe_standin import standin, stripe_events

State = Payment.State


def _paid_by_stripe(client: Client, town: Municipality, amount: str) -> Payment:
    from rathaus.platform.payments.tokens import payment_path

    payment = ask(town, amount=amount, provider="stripe")
    with tenant_context(town):
        path = payment_path(payment=payment)
    session_id = client.post(f"{path}pay/")["Location"].rsplit("/", 1)[-1]
    json.loads(standin(f"/_checkout/sessions/{session_id}/complete"))
    client.get(f"{path}return/")
    with tenant_context(town):
        payment.refresh_from_db()
    assert payment.state == State.PAID
    return payment


def test_a_small_partial_refund_reaches_stripe_at_once(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
) -> None:
    stripe_on(town_a)
    payment = _paid_by_stripe(Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]), town_a, "60.00")
    town_admin(town_a, client_a)
    url = f"/staff/payments/{payment.kassenzeichen}/"

    done = client_a.post(f"{url}refund/", {"amount": "20,00", "reason": "zweiter Hund entfällt"})
    too_much = client_a.post(f"{url}refund/", {"amount": "40,01", "reason": "zu viel"})
    page = client_a.get(url).content.decode()

    assert done.status_code == 302
    assert too_much.status_code == 400
    assert "more than the 40.00 left" in too_much.content.decode()
    assert [
        e.data.object.amount_refunded for e in stripe_events(stripe_api, "charge.refunded")
    ] == [2000]
    with tenant_context(town_a):
        stored = Payment.objects.get(pk=payment.pk)
        [refund] = Refund.objects.all()
    assert (stored.state, stored.refunded_amount) == (State.PARTLY_REFUNDED, Decimal("20.00"))
    assert refund.state == Refund.State.DONE
    assert refund.provider_ref.startswith("re_")
    assert "zweiter Hund entfällt" in page
    assert heard[-1] == ("refunded", payment.kassenzeichen, "20.00")


def test_a_refund_above_the_towns_amount_waits_for_a_second_person(
    client_a: Client, town_a: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    payment = ask(town_a, amount="600.00")
    with tenant_context(town_a):
        payment_mark_paid(town=town_a, payment=payment, actor=SYSTEM)
    town_admin(town_a, client_a)
    second = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    town_admin(town_a, second, email="kasse2@example.org")
    url = f"/staff/payments/{payment.kassenzeichen}/"

    client_a.post(f"{url}refund/", {"amount": "600.00", "reason": "kein Listenhund"})
    with tenant_context(town_a):
        refund = Refund.objects.get()
    waiting = refund.state
    own = client_a.post(f"{url}refunds/{refund.pk}/approve/")
    own_message = client_a.get(own["Location"]).content.decode()
    freed = second.post(f"{url}refunds/{refund.pk}/approve/")
    twice = second.post(f"{url}refunds/{refund.pk}/approve/")

    assert waiting == Refund.State.REQUESTED
    assert "Eine zweite Person muss diese Erstattung freigeben" in own_message
    assert (freed.status_code, twice.status_code) == (302, 302)
    with tenant_context(town_a):
        refund.refresh_from_db()
        stored = Payment.objects.get(pk=payment.pk)
        actions = list(
            AuditEntry.objects.filter(action__startswith="payments.").values_list("actor", "action")
        )
    assert (refund.state, refund.approved_by) == (Refund.State.DONE, "kasse2@example.org")
    assert stored.state == State.REFUNDED
    assert ("kasse@example.org", "payments.refund.request") in actions
    assert ("kasse2@example.org", "payments.payment.refunded") in actions
    assert heard.count(("refunded", payment.kassenzeichen, "600.00")) == 1


def test_the_town_admin_sets_the_four_eyes_amount(client_a: Client, town_a: Municipality) -> None:
    town_admin(town_a, client_a)

    saved = client_a.post("/staff/payments/settings/", {"four_eyes_above": "250,00"})
    wrong = client_a.post("/staff/payments/settings/", {"four_eyes_above": "-1"})

    assert saved.status_code == 302
    assert wrong.status_code == 400
    with tenant_context(town_a):
        from rathaus.platform.payments.refunds import payment_settings

        assert payment_settings().refund_four_eyes_above == Decimal("250.00")
