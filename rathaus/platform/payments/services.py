"""What changes payments: request one, start it, apply a provider's outcome, mark it paid,
and the town admin's provider settings. Every function works in the current town's schema.

Every change of a payment's state is one conditional UPDATE (compare and set on the
state it was read in, and only along ``states.FORWARD``), written to the audit log
and told to the owning module's listener in the same transaction; a change that
lost the race or would go back does nothing. Providers are called with no
transaction open.
"""

import json
import logging
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.counters import year_counter_next
from rathaus.platform.identity.models import User
from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality

from . import states
from .models import KassenzeichenCounter, Payment, ProviderConfig, ProviderEvent
from .money import amount_checked
from .registry import Event, Outcome, PaymentError, Start, listeners, providers

logger = logging.getLogger(__name__)
State = Payment.State


class ProviderUnavailable(PaymentError):  # noqa: N818 (reads as what happened)
    """The provider is not set up or not switched on for this town."""


# --- Kassenzeichen -------------------------------------------------------------------


def kassenzeichen_check_digit(digits: str) -> str:
    """The Luhn check digit of ``digits`` (a typo in one digit or two swapped ones shows)."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            value -= 9 if value > 9 else 0
        total += value
    return str((10 - total % 10) % 10)


def kassenzeichen_is_valid(value: str) -> bool:
    digits = value.replace("-", "")
    return (
        digits.isdigit()
        and len(digits) == 11
        and (kassenzeichen_check_digit(digits[:-1]) == digits[-1])
    )


def _kassenzeichen_next() -> str:
    """ "2026-000123-5": the town's next number of this year, with a check digit."""
    year, number = year_counter_next(KassenzeichenCounter)
    digits = f"{year}{number:06d}"
    return f"{year}-{number:06d}-{kassenzeichen_check_digit(digits)}"


# --- providers' settings -------------------------------------------------------------


def provider_config(*, key: str, enabled_only: bool = True) -> ProviderConfig | None:
    """The town's settings of provider ``key`` (only if switched on, unless told otherwise)."""
    if key not in providers:
        return None
    configs = ProviderConfig.objects.filter(provider=key)
    if enabled_only:
        configs = configs.filter(enabled=True)
    return configs.first()


def config_secrets(config: ProviderConfig) -> dict[str, str]:
    """The provider's secrets of the town, decrypted."""
    try:
        data = json.loads(config.secrets or "{}")
    except json.JSONDecodeError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


@transaction.atomic
def provider_configure(
    *,
    town: Municipality,
    key: str,
    enabled: bool,
    options: dict[str, Any],
    secrets: dict[str, str],
    actor: Actor,
) -> ProviderConfig:
    """Saves the town's settings of provider ``key``; a secret left empty keeps the old one.

    Audited with the plain settings before and after; of the secrets only which changed.
    """
    provider = providers[key]
    config, _created = ProviderConfig.objects.select_for_update().get_or_create(provider=key)
    before = {"enabled": config.enabled, **config.options}
    kept = config_secrets(config)
    changed = sorted(name for name, value in secrets.items() if value and value != kept.get(name))
    kept.update({name: value for name, value in secrets.items() if value})
    config.enabled = enabled
    config.options = options
    config.secrets = json.dumps({k: kept[k] for k in provider.secret_fields if k in kept})
    config.save()
    audit_record(
        town=town,
        actor=actor,
        action="payments.provider.configure",
        target=key,
        before=before,
        after={"enabled": enabled, **options, **({"secrets_changed": changed} if changed else {})},
    )
    return config


# --- payments --------------------------------------------------------------------------


@transaction.atomic
def payment_request(
    *,
    town: Municipality,
    owner: str,
    owner_ref: str,
    amount: Decimal,
    currency: str,
    purpose: str,
    provider: str,
    user: User | None = None,
    budget_line: str = "",
    object_number: str = "",
    return_path: str = "",
) -> Payment:
    """A new payment of ``amount`` for the module ``owner``'s object ``owner_ref``, by
    ``provider`` (switched on in the town); raises ``AmountRefused`` or ``ProviderUnavailable``.

    The module hears of its outcome through its listener (``registry.listeners[owner]``).
    """
    value, code = amount_checked(amount, currency)
    if owner not in listeners:
        raise PaymentError(f"no payment listener is registered for {owner!r}")
    if provider_config(key=provider) is None:
        raise ProviderUnavailable(f"payment provider {provider!r} is not switched on here")
    payment = Payment.objects.create(
        kassenzeichen=_kassenzeichen_next(),
        owner=owner,
        owner_ref=owner_ref[:100],
        purpose=purpose[:140],
        amount=value,
        currency=code,
        provider=provider,
        user=user,
        budget_line=budget_line,
        object_number=object_number,
        return_path=return_path if return_path.startswith("/") else "",
    )
    audit_record(
        town=town,
        actor=Actor.system("payments"),
        action="payments.payment.request",
        target=payment.kassenzeichen,
        after={
            "owner": owner,
            "ref": owner_ref,
            "amount": str(value),
            "currency": code,
            "provider": provider,
        },
    )
    return payment


def payment_start(*, town: Municipality, payment: Payment, return_url: str) -> Start:
    """Begins paying an open payment with its provider (no transaction open: it may call out)."""
    if payment.state not in states.OPEN:
        raise PaymentError(f"payment {payment.kassenzeichen} is {payment.state}")
    config = provider_config(key=payment.provider)
    if config is None:
        raise ProviderUnavailable(f"payment provider {payment.provider!r} is not switched on here")
    started = providers[payment.provider].start(
        payment=payment, config=config, return_url=return_url
    )
    if started.provider_ref:
        Payment.objects.filter(pk=payment.pk, state__in=states.OPEN).update(
            provider_ref=started.provider_ref
        )
        payment.provider_ref = started.provider_ref
    return started


def _tell(payment: Payment, target: str, refunded: Decimal) -> None:
    listener = listeners.get(payment.owner)
    if listener is None:
        logger.warning("payment %s: no listener for %s", payment.kassenzeichen, payment.owner)
        return
    if target == State.PAID:
        listener.paid(payment=payment)
    elif target in (State.FAILED, State.CANCELLED):
        listener.failed(payment=payment)
    elif target in (State.PARTLY_REFUNDED, State.REFUNDED):
        listener.refunded(payment=payment, amount=refunded)


@transaction.atomic
def payment_move(
    *,
    town: Municipality,
    payment: Payment,
    to: str,
    actor: Actor,
    refunded: Decimal | None = None,
    note: str = "",
) -> bool:
    """Moves ``payment`` to state ``to`` if that is forward from where it is now; returns
    whether it moved. ``refunded`` (for the refund states) is the amount paid back now.

    One conditional UPDATE on the state the payment was read in: two deliveries of one
    outcome at once move it once. Audited, and the owning module is told.
    """
    for _attempt in range(3):
        current = Payment.objects.filter(pk=payment.pk).values("state", "refunded_amount").first()
        if current is None or not states.may_move(current["state"], to):
            return False
        changes: dict[str, Any] = {"state": to, "state_changed_at": timezone.now()}
        total = current["refunded_amount"]
        if to in (State.PARTLY_REFUNDED, State.REFUNDED):
            if refunded is None or refunded <= 0:
                raise PaymentError("a refund needs the amount paid back")
            total = current["refunded_amount"] + refunded
            if total > payment.amount:
                raise PaymentError(f"refund of {refunded} is more than what is left")
            to = State.REFUNDED if total == payment.amount else State.PARTLY_REFUNDED
            changes.update(state=to, refunded_amount=total)
        if to == State.PAID:
            changes["paid_at"] = changes["state_changed_at"]
        moved = Payment.objects.filter(
            pk=payment.pk, state=current["state"], refunded_amount=current["refunded_amount"]
        ).update(**changes)
        if not moved:
            continue  # someone else moved it meanwhile: look again
        payment.refresh_from_db()
        audit_record(
            town=town,
            actor=actor,
            action=f"payments.payment.{to}",
            target=payment.kassenzeichen,
            before=current["state"],
            after={
                "state": to,
                **({"refunded": str(refunded)} if refunded else {}),
                **({"note": note} if note else {}),
            },
        )
        _tell(payment, to, refunded or Decimal("0"))
        return True
    return False


class OutcomeRefused(PaymentError):  # noqa: N818 (reads as what happened)
    """A provider's outcome that does not fit the payment (another amount, another town's)."""


def payment_outcome_apply(*, town: Municipality, provider: str, outcome: Outcome) -> bool:
    """Applies what ``provider`` says of one of this town's payments; returns whether it moved.

    Refused (``OutcomeRefused``): a payment that is not this town's (its id is unknown in
    this schema) or not ``provider``'s, and a "paid" whose amount or currency differs from
    the payment's (a forged or changed amount never marks a payment paid).
    """
    payment = (
        Payment.objects.filter(public_id=outcome.payment).first()
        if _is_uuid(outcome.payment)
        else None
    )
    if payment is None or payment.provider != provider:
        raise OutcomeRefused(f"no payment {outcome.payment!r} of {provider} in this town")
    if not outcome.state:
        return False
    if outcome.state == State.PAID and (
        outcome.amount != payment.amount or outcome.currency.upper() != payment.currency
    ):
        audit_record(
            town=town,
            actor=Actor.system(provider),
            action="payments.payment.refused",
            target=payment.kassenzeichen,
            after={"amount": str(outcome.amount), "currency": outcome.currency},
        )
        raise OutcomeRefused(
            f"payment {payment.kassenzeichen}: {outcome.amount} {outcome.currency} paid, "
            f"{payment.amount} {payment.currency} asked"
        )
    if outcome.state in (State.PARTLY_REFUNDED, State.REFUNDED):
        return _refund_outcome_apply(town=town, provider=provider, payment=payment, outcome=outcome)
    return payment_move(
        town=town,
        payment=payment,
        to=outcome.state,
        actor=Actor.system(provider),
        note=outcome.note,
    )


def _refunds_lock(payment: Payment) -> None:
    """Waits for the payment's refund lock (until the transaction ends): a refund sent from
    here and the provider's word of what was refunded are counted one after the other."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), %s)",
            [f"payments.refund:{current_schema_name()}", payment.pk],
        )


def _refund_outcome_apply(
    *, town: Municipality, provider: str, payment: Payment, outcome: Outcome
) -> bool:
    """Brings the payment's refunded amount up to the total the provider names (a refund
    made at the provider, e.g. in its dashboard); what is counted already changes nothing."""
    if outcome.refunded is None:
        return False
    if outcome.currency and outcome.currency.upper() != payment.currency:
        raise OutcomeRefused(f"payment {payment.kassenzeichen}: refund in {outcome.currency}")
    with transaction.atomic():
        _refunds_lock(payment)
        payment.refresh_from_db()
        if outcome.refunded > payment.amount:
            raise OutcomeRefused(
                f"payment {payment.kassenzeichen}: {outcome.refunded} refunded of {payment.amount}"
            )
        refunded = outcome.refunded - payment.refunded_amount
        if refunded <= 0:
            return False  # known already
        return payment_move(
            town=town,
            payment=payment,
            to=State.REFUNDED,
            actor=Actor.system(provider),
            refunded=refunded,
            note=outcome.note,
        )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def payment_mark_paid(
    *, town: Municipality, payment: Payment, actor: Actor, note: str = ""
) -> bool:
    """Staff mark an open payment paid (money at the counter or on the town's account)."""
    return payment_move(town=town, payment=payment, to=State.PAID, actor=actor, note=note)


def payment_refresh(*, town: Municipality, payment: Payment) -> bool:
    """Asks the provider how an open payment stands and applies it (return page, reconciliation)."""
    config = provider_config(key=payment.provider, enabled_only=False)
    if config is None or (payment.is_final and payment.state not in states.REFUNDABLE):
        return False
    outcome = providers[payment.provider].status(payment=payment, config=config)
    if outcome is None:
        return False
    try:
        return payment_outcome_apply(town=town, provider=payment.provider, outcome=outcome)
    except OutcomeRefused:
        logger.warning("payment %s: the provider's answer was refused", payment.kassenzeichen)
        return False


def payment_cancel(*, town: Municipality, payment: Payment, actor: Actor) -> bool:
    """Gives up an open payment (the citizen pays another way): stopped at the provider
    first, so it can no longer take money; raises ``PaymentError`` if the provider says
    it was paid meanwhile (then the payment is brought up to date instead)."""
    config = provider_config(key=payment.provider, enabled_only=False)
    if config is not None and payment.state in states.OPEN:
        try:
            providers[payment.provider].cancel(payment=payment, config=config)
        except PaymentError:
            payment_refresh(town=town, payment=payment)
            raise
    return payment_move(town=town, payment=payment, to=State.CANCELLED, actor=actor)


def payment_refund(*, town: Municipality, payment: Payment, amount: Decimal, actor: Actor) -> str:
    """Pays ``amount`` of a paid payment back through its provider, then records it; returns
    the provider's reference of the refund (``""`` for one paid back by hand).

    The provider is asked under the payment's refund lock, so the provider's own word of
    this refund (Stripe's ``charge.refunded``) waits and then finds it counted; its
    reference goes into the audit entry. Should recording fail after the provider paid,
    the provider's event brings the payment up to date. Raises ``PaymentError`` for a
    payment not paid, an amount beyond what is left, or a provider that refused. Staff
    go through ``refunds.refund_request`` (four eyes).
    """
    value, _code = amount_checked(amount, payment.currency)
    config = provider_config(key=payment.provider, enabled_only=False)
    if config is None:
        raise ProviderUnavailable(f"payment provider {payment.provider!r} is not set up here")
    with transaction.atomic():
        _refunds_lock(payment)
        payment.refresh_from_db()
        if payment.state not in states.REFUNDABLE:
            raise PaymentError(f"payment {payment.kassenzeichen} is {payment.state}, not paid")
        if value > payment.amount - payment.refunded_amount:
            raise PaymentError(f"refund of {value} is more than what is left")
        reference = providers[payment.provider].refund(payment=payment, amount=value, config=config)
        payment_move(
            town=town,
            payment=payment,
            to=State.REFUNDED,
            actor=actor,
            refunded=value,
            note=reference,
        )
    return reference


# --- providers' events ------------------------------------------------------------------


def provider_event_store(*, provider: str, event: Event) -> tuple[ProviderEvent, bool]:
    """Stores a verified event once by its id; returns the row and whether it is new."""
    try:
        with transaction.atomic():
            row = ProviderEvent.objects.create(
                provider=provider, event_id=event.id, type=event.type, payload=dict(event.payload)
            )
    except IntegrityError:
        return ProviderEvent.objects.get(provider=provider, event_id=event.id), False
    return row, True


def provider_event_apply(*, town: Municipality, event_pk: int) -> bool:
    """Applies a stored event once (asking the provider for the payment's current state);
    returns whether it moved a payment. A refused outcome is noted on the event."""
    row = ProviderEvent.objects.filter(pk=event_pk, applied_at__isnull=True).first()
    if row is None:
        return False
    config = provider_config(key=row.provider, enabled_only=False)
    moved, note = False, "ignored"
    if config is not None and row.provider in providers:
        event = Event(id=row.event_id, type=row.type, payload=row.payload)
        try:
            outcome = providers[row.provider].event_outcome(event=event, config=config)
            if outcome is not None:
                moved = payment_outcome_apply(town=town, provider=row.provider, outcome=outcome)
                note = outcome.state if moved else f"no change ({outcome.state})"
        except PaymentError as error:
            note = f"refused: {error}"[:200]
    ProviderEvent.objects.filter(pk=row.pk, applied_at__isnull=True).update(
        applied_at=timezone.now(), outcome=note[:200]
    )
    return moved


def payments_reconcile(*, town: Municipality, events_older_than: int = 600) -> dict[str, int]:
    """The nightly reconciliation of the current town: asks the provider about every payment
    that is not final (a lost webhook, a citizen who never came back) and applies what it
    says; applies stored events whose task was lost (stored more than
    ``events_older_than`` seconds ago). Idempotent; returns what it did."""
    import datetime as dt

    asked = moved = events = 0
    for payment in Payment.objects.filter(state__in=states.OPEN).exclude(provider_ref=""):
        asked += 1
        try:
            moved += bool(payment_refresh(town=town, payment=payment))
        except PaymentError as error:
            logger.warning("reconciling %s: %s", payment.kassenzeichen, error)
    stale = timezone.now() - dt.timedelta(seconds=events_older_than)
    for pk in ProviderEvent.objects.filter(
        applied_at__isnull=True, received_at__lt=stale
    ).values_list("pk", flat=True):
        events += 1
        moved += bool(provider_event_apply(town=town, event_pk=pk))
    return {"asked": asked, "events": events, "moved": moved}
