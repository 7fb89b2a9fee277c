"""The payments port: a module asks for an amount and hears the outcome; states only go forward."""

from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import audit_lines
from rathaus.platform.payments.models import Payment
from rathaus.platform.payments.money import AmountRefused, amount_checked, euro_display
from rathaus.platform.payments.registry import Outcome, PaymentError
from rathaus.platform.payments.services import (
    OutcomeRefused,
    ProviderUnavailable,
    kassenzeichen_is_valid,
    payment_mark_paid,
    payment_move,
    payment_outcome_apply,
    payment_request,
)
from rathaus.tenants.models import Municipality
from tests.platform.payments.conftest import OWNER, SYSTEM, ask, invoice_on

State = Payment.State


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        (60.0, "give a Decimal, not float"),
        (Decimal("60.001"), "more than two decimal places"),
        (Decimal("0"), "must be more than 0"),
        (Decimal("-5"), "must be more than 0"),
        ("sechzig", "is no number"),
    ],
)
def test_an_amount_that_is_no_exact_positive_decimal_is_refused_naming_why(
    amount: object, problem: str
) -> None:
    with pytest.raises(AmountRefused, match=problem):
        amount_checked(amount, "EUR")


def test_a_currency_not_taken_is_refused_and_amounts_read_as_in_germany() -> None:
    with pytest.raises(AmountRefused, match="currency 'USD'"):
        amount_checked(Decimal("1"), "USD")
    assert amount_checked("12.5", "eur") == (Decimal("12.50"), "EUR")
    assert euro_display(Decimal("1234.5")) == "1.234,50 €"


def test_a_payment_gets_a_readable_town_unique_kassenzeichen_and_is_audited(
    town_a: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    first, second = ask(town_a, ref="A-1"), ask(town_a, ref="A-2")

    assert first.kassenzeichen != second.kassenzeichen
    assert kassenzeichen_is_valid(first.kassenzeichen)
    assert not kassenzeichen_is_valid(first.kassenzeichen[:-1] + "x")
    assert first.amount == Decimal("60.00")
    assert first.state == State.STARTED
    with tenant_context(town_a):
        [line, _second] = audit_lines(
            AuditEntry.objects.filter(action="payments.payment.request").order_by("pk")
        )
    assert line.sentence == f"Zahlung {first.kassenzeichen} über 60.00 EUR angelegt."


def test_a_provider_not_switched_on_takes_no_payment(
    town_a: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    with pytest.raises(ProviderUnavailable):
        ask(town_a, provider="invoice")
    with pytest.raises(ProviderUnavailable), tenant_context(town_a):
        payment_request(
            town=town_a,
            owner=OWNER,
            owner_ref="x",
            amount=Decimal("1"),
            currency="EUR",
            purpose="x",
            provider="no-such",
        )


def test_the_state_only_moves_forward_once_and_the_module_hears_each_change_once(
    town_a: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    payment = ask(town_a)
    with tenant_context(town_a):
        paid = payment_mark_paid(town=town_a, payment=payment, actor=SYSTEM, note="bar")
        again = payment_mark_paid(town=town_a, payment=payment, actor=SYSTEM)
        back = payment_move(town=town_a, payment=payment, to=State.PROCESSING, actor=SYSTEM)
        failed = payment_move(town=town_a, payment=payment, to=State.FAILED, actor=SYSTEM)
        part = payment_move(
            town=town_a, payment=payment, to=State.REFUNDED, actor=SYSTEM, refunded=Decimal("20")
        )
        stored = Payment.objects.get(pk=payment.pk)
        moves = AuditEntry.objects.filter(action__startswith="payments.payment.p").count()

    assert (paid, again, back, failed, part) == (True, False, False, False, True)
    assert stored.state == State.PARTLY_REFUNDED
    assert stored.refunded_amount == Decimal("20.00")
    assert stored.paid_at is not None
    assert heard == [
        ("paid", payment.kassenzeichen, "A-1"),
        ("refunded", payment.kassenzeichen, "20"),
    ]
    assert moves == 2  # paid, partly refunded


def test_a_refund_beyond_what_is_left_is_refused_and_a_refunded_payment_is_final(
    town_a: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    payment = ask(town_a)
    with tenant_context(town_a):
        payment_mark_paid(town=town_a, payment=payment, actor=SYSTEM)

        def refund(amount: str) -> bool:
            return payment_move(
                town=town_a,
                payment=payment,
                to=State.REFUNDED,
                actor=SYSTEM,
                refunded=Decimal(amount),
            )

        assert refund("50")
        with pytest.raises(PaymentError, match="more than what is left"):
            refund("10.01")
        assert refund("10")
        assert not refund("1")
        stored = Payment.objects.get(pk=payment.pk)
    assert (stored.state, stored.refunded_amount) == (State.REFUNDED, Decimal("60.00"))


def test_an_outcome_with_another_amount_or_for_another_towns_payment_is_refused(
    town_a: Municipality, town_b: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    invoice_on(town_b)
    payment = ask(town_a)
    forged = Outcome(str(payment.public_id), State.PAID, Decimal("0.60"), "EUR")
    right = Outcome(str(payment.public_id), State.PAID, Decimal("60.00"), "EUR")

    with tenant_context(town_a), pytest.raises(OutcomeRefused, match=r"0\.60 EUR paid"):
        payment_outcome_apply(town=town_a, provider="invoice", outcome=forged)
    with tenant_context(town_b), pytest.raises(OutcomeRefused, match="no payment"):
        payment_outcome_apply(town=town_b, provider="invoice", outcome=right)
    with tenant_context(town_a):
        assert Payment.objects.get(pk=payment.pk).state == State.STARTED
        assert AuditEntry.objects.filter(action="payments.payment.refused").count() == 1
        assert payment_outcome_apply(town=town_a, provider="invoice", outcome=right) is True
    assert heard == [("paid", payment.kassenzeichen, "A-1")]
