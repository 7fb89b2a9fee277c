"""Refunds by staff, full or partial, with four eyes above the amount the town sets.

A refund up to the town's amount (``PaymentSettings.refund_four_eyes_above``) is sent
to the provider at once; above it, it waits until another staff member frees it.
A refund is taken for sending by one conditional UPDATE (requested → sending), so a
double click or two approvers at once send it once; the provider is called under the
payment's refund lock (``services.payment_refund``), with an idempotency key of its own.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.tenants.models import Municipality

from . import states
from .models import Payment, PaymentSettings, Refund
from .money import amount_checked
from .registry import PaymentError
from .services import payment_refund


class FourEyes(PaymentError):  # noqa: N818 (reads as what happened)
    """The person who asked for a refund cannot also free it."""


def payment_settings() -> PaymentSettings:
    """The town's payment rules (made with the defaults on first use)."""
    found, _created = PaymentSettings.objects.get_or_create(pk=1)
    return found


def payment_settings_save(
    *, town: Municipality, four_eyes_above: Decimal, actor: Actor
) -> PaymentSettings:
    with transaction.atomic():
        found = PaymentSettings.objects.select_for_update().get(pk=payment_settings().pk)
        before = str(found.refund_four_eyes_above)
        found.refund_four_eyes_above = four_eyes_above
        found.save()
        audit_record(
            town=town,
            actor=actor,
            action="payments.settings",
            target="four_eyes_above",
            before=before,
            after=str(four_eyes_above),
        )
    return found


def _left(payment: Payment) -> Decimal:
    """What may still be refunded: paid, less what is refunded or waiting to be."""
    waiting = Refund.objects.filter(
        payment=payment, state__in=[Refund.State.REQUESTED, Refund.State.SENDING]
    ).aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return payment.amount - payment.refunded_amount - waiting


def refund_request(
    *, town: Municipality, payment: Payment, amount: Decimal, reason: str, actor: Actor
) -> Refund:
    """Asks for a refund; sent at once up to the town's amount, else waiting for four eyes.

    Raises ``PaymentError`` naming why (not paid, more than is left, the provider refused).
    """
    value, _code = amount_checked(amount, payment.currency)
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state not in states.REFUNDABLE:
            raise PaymentError(f"payment {payment.kassenzeichen} is {payment.state}, not paid")
        if value > _left(payment):
            raise PaymentError(f"refund of {value} is more than the {_left(payment)} left")
        refund = Refund.objects.create(
            payment=payment, amount=value, reason=reason[:200], requested_by=actor.label
        )
        audit_record(
            town=town,
            actor=actor,
            action="payments.refund.request",
            target=payment.kassenzeichen,
            after={"amount": str(value), "reason": reason[:200]},
        )
    if value <= payment_settings().refund_four_eyes_above:
        return _send(town=town, refund=refund, actor=actor)
    return refund


def refund_approve(*, town: Municipality, refund: Refund, actor: Actor) -> Refund:
    """Frees a waiting refund and sends it; the one who asked for it may not (``FourEyes``)."""
    if refund.requested_by == actor.label:
        raise FourEyes("another person must free this refund")
    return _send(town=town, refund=refund, actor=actor)


def _send(*, town: Municipality, refund: Refund, actor: Actor) -> Refund:
    taken = Refund.objects.filter(pk=refund.pk, state=Refund.State.REQUESTED).update(
        state=Refund.State.SENDING, approved_by=actor.label
    )
    if not taken:
        refund.refresh_from_db()
        return refund  # sent or being sent by someone else
    try:
        reference = payment_refund(
            town=town, payment=refund.payment, amount=refund.amount, actor=actor
        )
    except PaymentError as error:
        Refund.objects.filter(pk=refund.pk).update(
            state=Refund.State.FAILED, error=str(error)[:300]
        )
        raise
    Refund.objects.filter(pk=refund.pk).update(state=Refund.State.DONE, provider_ref=reference)
    refund.refresh_from_db()
    return refund
