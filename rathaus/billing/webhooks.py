"""Stripe's webhooks: each event is stored once and applied once, in any order.

Stripe sends each event at least once and in no promised order. So an event is
first stored by its id (a replay finds it and changes nothing), then applied
by fetching the object it names from Stripe as it is *now* and saving that:
whatever order invoice and subscription events arrive in, the stored copy ends
as Stripe's current state, and applying one event twice writes the same rows.
Stripe is called with no database transaction open.

Two workers may be handed the same event (a webhook retried by Stripe, the
requeue job): the first claims the row with a conditional UPDATE and the other
leaves it. A claim that is not finished within ``CLAIM_TIMEOUT`` (its worker
died) may be taken again; a run that fails gives its claim back at once, so the
retry of the task, or the requeue job, applies the event later.
"""

import datetime as dt
import logging
from typing import Any

import stripe
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from rathaus.billing.client import stripe_client
from rathaus.billing.dunning import billing_dunning_update
from rathaus.billing.models import BillingAccount, Invoice, StripeEvent
from rathaus.billing.prices import euros

logger = logging.getLogger(__name__)

INVOICE_EVENTS = frozenset(
    {"invoice.paid", "invoice.payment_failed", "invoice.finalized", "invoice.overdue"}
)
SUBSCRIPTION_EVENTS = frozenset({"customer.subscription.updated", "customer.subscription.deleted"})
HANDLED = INVOICE_EVENTS | SUBSCRIPTION_EVENTS
# Longer than any apply takes (two Stripe calls with their retries inside the client).
CLAIM_TIMEOUT = dt.timedelta(minutes=15)


def _moment(stamp: int | None) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC) if stamp else None


def stripe_event_store(*, event: stripe.Event) -> tuple[StripeEvent, bool]:
    """Stores a verified event once; returns the row and whether it is new."""
    try:
        with transaction.atomic():
            row = StripeEvent.objects.create(
                stripe_id=event.id,
                type=event.type,
                created_at_stripe=_moment(event.created) or timezone.now(),
                payload=event.to_dict(),
            )
    except IntegrityError:
        return StripeEvent.objects.get(stripe_id=event.id), False
    return row, True


def _account_of(customer_id: str) -> BillingAccount | None:
    return (
        BillingAccount.objects.select_related("town").filter(stripe_customer_id=customer_id).first()
    )


def _invoice_save(*, account: BillingAccount, invoice: Any, failed: bool | None) -> Invoice:
    values = {
        "account": account,
        "number": invoice.get("number") or "",
        "status": invoice["status"],
        "amount_due": euros(invoice["amount_due"]),
        "amount_paid": euros(invoice["amount_paid"]),
        "currency": invoice["currency"],
        "created_at_stripe": _moment(invoice["created"]),
        "due_date": _moment(invoice.get("due_date")),
        "period_start": _moment(invoice.get("period_start")),
        "period_end": _moment(invoice.get("period_end")),
        "pdf_url": invoice.get("invoice_pdf") or "",
        "hosted_url": invoice.get("hosted_invoice_url") or "",
    }
    if invoice["status"] != "open":
        values["payment_failed"] = False
    elif failed is not None:
        values["payment_failed"] = failed
    row, _created = Invoice.objects.update_or_create(stripe_id=invoice["id"], defaults=values)
    return row


def _claim(row: StripeEvent) -> dt.datetime | None:
    """Claims an unapplied event for this run; returns the claim's stamp, or None if taken."""
    stamp = timezone.now()
    with transaction.atomic(durable=True):
        claimed = (
            StripeEvent.objects.filter(pk=row.pk, applied__isnull=True)
            .filter(Q(claimed__isnull=True) | Q(claimed__lt=stamp - CLAIM_TIMEOUT))
            .update(claimed=stamp)
        )
    return stamp if claimed else None


def _event_apply(row: StripeEvent, now: dt.datetime | None) -> BillingAccount | None:
    """Fetches what the event names from Stripe and saves it; returns the town's account."""
    obj = row.payload["data"]["object"]
    account = _account_of(str(obj.get("customer", ""))) if row.type in HANDLED else None
    if account is None:
        return None
    client = stripe_client()
    subscription_id = obj["id"] if row.type in SUBSCRIPTION_EVENTS else None
    if row.type in INVOICE_EVENTS:
        invoice = client.v1.invoices.retrieve(obj["id"]).to_dict()
        failed = {"invoice.paid": False, "invoice.payment_failed": True}.get(row.type)
        with transaction.atomic(durable=True):
            _invoice_save(account=account, invoice=invoice, failed=failed)
        # The invoice moves the subscription too (paid: active again): read it as well,
        # whether or not its own event has come yet.
        parent = invoice.get("parent") or {}
        subscription_id = (parent.get("subscription_details") or {}).get("subscription")
    if subscription_id:
        subscription = client.v1.subscriptions.retrieve(subscription_id)
        # The condition is part of the UPDATE: a subscription made meanwhile by a
        # sync is never overwritten by an older one's event.
        BillingAccount.objects.filter(
            Q(stripe_subscription_id=subscription.id) | Q(stripe_subscription_id=""),
            pk=account.pk,
        ).update(stripe_subscription_id=subscription.id, subscription_status=subscription.status)
    billing_dunning_update(town=account.town, now=now)
    return account


def stripe_event_apply(*, event_id: str, now: dt.datetime | None = None) -> bool:
    """Applies a stored event (once); returns whether it did anything now.

    Invoice events save the invoice as Stripe has it now; subscription events
    the subscription's status. Either way the town's dunning state is worked
    out again (``billing_dunning_update``). An event of a customer that is not
    a town's, or of a type billing does not handle, is marked applied and left.
    An event another run holds is left to it (False).
    """
    row = StripeEvent.objects.filter(stripe_id=event_id).first()
    if row is None or row.applied is not None:
        return False
    claim = _claim(row)
    if claim is None:
        return False
    try:
        account = _event_apply(row, now)
    except BaseException:
        StripeEvent.objects.filter(pk=row.pk, claimed=claim).update(claimed=None)
        raise
    with transaction.atomic(durable=True):
        updated = StripeEvent.objects.filter(pk=row.pk, applied__isnull=True, claimed=claim).update(
            applied=timezone.now()
        )
    return bool(updated) and account is not None


def stripe_events_unapplied(*, received_before: dt.datetime) -> "QuerySet[StripeEvent]":
    """Events stored before the given time and not applied yet (their task was lost)."""
    return StripeEvent.objects.filter(applied__isnull=True, received__lt=received_before)
