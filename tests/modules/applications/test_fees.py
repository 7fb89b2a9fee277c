"""The dog registration's fee: paid online after sending, the case moves on by itself; a failed
payment can be tried again or paid another way; "Meine Anträge" and the clerk see the payment."""

import json
import re

import pytest
import stripe
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import Submission
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import audit_lines
from rathaus.platform.payments.models import Payment
from rathaus.platform.payments.services import payment_mark_paid
from rathaus.tenants.models import Municipality
from tests.modules.applications.conftest import (
    DOG,
    SYSTEM,
    dog_definition,
    fill_and_send,
    log_in,
    make_staff,
    publish,
)
from tests.platform.payments.conftest import apply_all, deliver, invoice_on, stripe_on
from tests.stripe_standin import standin

State = Payment.State
Status = Submission.Status


def _pay_link(page: str) -> str:
    found = re.search(r'href="(/applications/pay/[^"]+/)"', page)
    assert found, page
    return found[1]


def _to_checkout(client: Client, pay: str) -> tuple[str, str]:
    """The citizen picks Stripe on the case's payment page and presses "Jetzt bezahlen":
    the payment's page and the Checkout Session they are sent to."""
    payment_page = client.post(pay, {"method": "stripe"})["Location"]
    to_stripe = client.post(f"{payment_page}pay/")
    assert to_stripe.status_code == 302, to_stripe.content.decode()
    return payment_page, to_stripe["Location"].rsplit("/", 1)[-1]


def _case(town: Municipality) -> Submission:
    with tenant_context(town):
        return Submission.objects.get()


def _payments(town: Municipality) -> list[Payment]:
    with tenant_context(town):
        return list(Payment.objects.order_by("pk"))


def test_without_a_way_to_pay_online_the_case_is_received_as_before(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    page = fill_and_send(client_a)

    assert _case(applications_a).status == Status.RECEIVED
    assert "Gebühr bezahlen" not in page


def test_the_fee_is_paid_by_transfer_and_the_case_moves_on_when_staff_mark_it_paid(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    invoice_on(applications_a)
    done = fill_and_send(client_a)
    pay = _pay_link(done)
    page = client_a.get(pay).content.decode()
    chosen = client_a.post(pay, {"method": "invoice", "amount": "0.01"})
    receipt = client_a.get(chosen["Location"]).content.decode()
    [payment] = _payments(applications_a)
    waiting = _case(applications_a).status
    with tenant_context(applications_a):
        payment_mark_paid(town=applications_a, payment=payment, actor=SYSTEM)
        [line] = audit_lines(AuditEntry.objects.filter(action="applications.case.paid"))
    after = client_a.get(pay).content.decode()

    assert "Noch zu bezahlen" in done
    assert "Zu zahlen: 60,00 €" in page
    assert waiting == Status.AWAITING_PAYMENT
    assert str(payment.amount) == "60.00"  # the form's computed tax, not the request's
    assert payment.owner_ref == _case(applications_a).reference
    assert payment.budget_line == "1.1.2.01.4032"
    assert payment.purpose == f"Hundesteuer {payment.owner_ref}"
    assert payment.kassenzeichen in receipt
    assert "DE89 3704 0044 0532 0130 00" in receipt
    assert _case(applications_a).status == Status.RECEIVED
    assert "Die Gebühr ist bezahlt. Stand Ihres Antrags: eingegangen." in after
    assert line.sentence.startswith(f"Die Gebühr zum Antrag {payment.owner_ref} ist bezahlt")


def test_the_citizen_pays_the_dog_fee_by_card_and_a_repeated_webhook_changes_nothing(
    client_a: Client,
    applications_a: Municipality,
    stripe_api: stripe.StripeClient,
    queued: list[int],
) -> None:
    publish(applications_a)
    stripe_on(applications_a)
    payment_page, session_id = _to_checkout(client_a, _pay_link(fill_and_send(client_a)))
    done = json.loads(standin(f"/_checkout/sessions/{session_id}/complete"))

    deliver(client_a, done["_event"], applications_a)  # Stripe's webhook comes first
    deliver(client_a, done["_event"], applications_a)
    applied = apply_all(applications_a, queued)
    back = client_a.get(f"{payment_page}return/")

    assert stripe_api.v1.checkout.sessions.retrieve(session_id).amount_total == 6000
    assert applied == [True]
    assert back.status_code == 302
    assert _case(applications_a).status == Status.RECEIVED
    [payment] = _payments(applications_a)
    assert payment.state == State.PAID
    with tenant_context(applications_a):
        assert AuditEntry.objects.filter(action="applications.case.paid").count() == 1


def test_after_a_failed_payment_the_citizen_tries_again_another_way(
    client_a: Client,
    applications_a: Municipality,
    stripe_api: stripe.StripeClient,
    queued: list[int],
) -> None:
    publish(applications_a)
    stripe_on(applications_a)
    invoice_on(applications_a)
    pay = _pay_link(fill_and_send(client_a))
    _payment_page, session_id = _to_checkout(client_a, pay)
    debit = json.loads(
        standin(f"/_checkout/sessions/{session_id}/complete", payment_status="unpaid")
    )
    failed = json.loads(standin(f"/_checkout/sessions/{session_id}/async", outcome="failed"))
    deliver(client_a, debit["_event"], applications_a)
    deliver(client_a, failed["_event"], applications_a)
    apply_all(applications_a, queued)

    again = client_a.get(pay).content.decode()
    client_a.post(pay, {"method": "invoice"})
    first, second = _payments(applications_a)

    assert first.state == State.FAILED
    assert "Erneut bezahlen" in again
    assert "fehlgeschlagen" in again
    assert (second.provider, second.state) == ("invoice", State.STARTED)
    assert _case(applications_a).status == Status.AWAITING_PAYMENT


def test_picking_another_way_while_a_checkout_is_open_stops_it_at_stripe(
    client_a: Client, applications_a: Municipality, stripe_api: stripe.StripeClient
) -> None:
    publish(applications_a)
    stripe_on(applications_a)
    invoice_on(applications_a)
    pay = _pay_link(fill_and_send(client_a))
    _payment_page, session_id = _to_checkout(client_a, pay)

    client_a.post(pay, {"method": "invoice"})
    again = client_a.post(pay, {"method": "invoice"})
    first, second = _payments(applications_a)

    assert stripe_api.v1.checkout.sessions.retrieve(session_id).status == "expired"
    assert first.state == State.CANCELLED
    assert second.state == State.STARTED
    assert again["Location"].startswith("/payments/")  # the open one again, not a third
    assert len(_payments(applications_a)) == 2


def test_my_applications_show_the_payment_and_the_link_to_pay(
    client_a: Client, applications_a: Municipality
) -> None:
    from tests.factories import UserFactory

    publish(applications_a)
    invoice_on(applications_a)
    with tenant_context(applications_a):
        UserFactory(email="erika@example.org")
    log_in(client_a, "erika@example.org")
    pay = _pay_link(fill_and_send(client_a))
    client_a.post(pay, {"method": "invoice"})
    [payment] = _payments(applications_a)

    mine = client_a.get("/applications/account/").content.decode()

    assert "wartet auf Zahlung" in mine
    assert f"Zahlung {payment.kassenzeichen} über 60,00 €: offen" in mine
    assert pay in mine


def test_the_clerk_sees_the_cases_payments(client_a: Client, applications_a: Municipality) -> None:
    publish(applications_a)
    invoice_on(applications_a)
    citizen = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    citizen.post(_pay_link(fill_and_send(citizen)), {"method": "invoice"})
    [payment] = _payments(applications_a)
    make_staff(applications_a, client_a, ["applications.clerk"])

    page = client_a.get(f"/staff/applications/cases/{_case(applications_a).pk}/").content.decode()

    assert payment.kassenzeichen in page
    assert "60,00 EUR, offen" in page
    assert "wartet auf Zahlung" in page


def test_a_cases_payment_link_never_works_on_another_town(
    client_a: Client,
    client_b: Client,
    applications_a: Municipality,
    applications_b: Municipality,
) -> None:
    publish(applications_a)
    invoice_on(applications_a)
    pay = _pay_link(fill_and_send(client_a))

    assert client_a.get(pay).status_code == 200
    assert client_b.get(pay).status_code == 404
    assert client_b.post(pay, {"method": "invoice"}).status_code == 404


@pytest.mark.parametrize("amount", ["dog_count", "nothing"])
def test_a_fee_that_is_no_computed_field_is_named_in_the_definition(amount: str) -> None:
    from rathaus.modules.applications.definition import definition_problems

    definition = dog_definition()
    definition["payment"]["amount"] = amount

    assert definition_problems(definition) == [
        f"$.payment.amount: '{amount}' is no computed field of the form"
    ]
    assert DOG  # the dog form's answers stay as they are
