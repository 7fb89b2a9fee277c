"""Billing's background work: a new town's customer, its subscription after each gate change."""

import datetime as dt
import logging

import stripe
from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from rathaus.billing.dunning import billing_dunning_advance
from rathaus.billing.meters import billing_letters_report
from rathaus.billing.models import BillingAccount
from rathaus.billing.services import billing_customer_ensure
from rathaus.billing.subscriptions import billing_subscription_sync
from rathaus.billing.webhooks import stripe_event_apply, stripe_events_unapplied
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)


@shared_task(
    name="billing.customer_create",
    # Stripe unreachable or busy, or the same create still in flight (its idempotency
    # key is in use): try again later; the service makes no second customer.
    autoretry_for=(
        stripe.APIConnectionError,
        stripe.RateLimitError,
        stripe.APIError,
        stripe.IdempotencyError,
    ),
    retry_backoff=30,
    retry_backoff_max=60 * 30,
    max_retries=12,
)
def billing_customer_create(town_id: int) -> None:
    """Makes the Stripe customer of a newly onboarded town (queued by onboarding, in public)."""
    town = Municipality.objects.filter(pk=town_id).first()
    if town is None:
        logger.warning("No billing customer: town %s does not exist (any more)", town_id)
        return
    billing_customer_ensure(town=town)


STRIPE_TRANSIENT = (
    stripe.APIConnectionError,
    stripe.RateLimitError,
    stripe.APIError,
    stripe.IdempotencyError,
)
SYNC_LOCK_SECONDS = 120


class SyncBusyError(Exception):
    """Another sync of the same town is running; this one tries again shortly."""


@shared_task(
    name="billing.subscription_sync",
    autoretry_for=(*STRIPE_TRANSIENT, SyncBusyError),
    retry_backoff=5,
    retry_backoff_max=60 * 30,
    max_retries=20,
)
def billing_subscription_sync_task(town_id: int) -> None:
    """Makes a town's subscription match its allowed modules (queued after each gate change).

    One sync per town at a time (a lock in Redis, never in the database: Stripe
    is called meanwhile); each run reads the gates afresh, so the last run sees
    the last change, and runs that queue up behind it change nothing.
    """
    town = Municipality.objects.filter(pk=town_id).first()
    if town is None:
        logger.warning("No subscription sync: town %s does not exist (any more)", town_id)
        return
    lock = f"billing:subscription-sync:{town_id}"
    if not cache.add(lock, "1", timeout=SYNC_LOCK_SECONDS):
        raise SyncBusyError(town_id)
    try:
        billing_subscription_sync(town=town)
    finally:
        cache.delete(lock)


@shared_task(
    name="billing.event_apply",
    autoretry_for=STRIPE_TRANSIENT,
    retry_backoff=10,
    retry_backoff_max=60 * 30,
    max_retries=20,
)
def billing_event_apply(stripe_id: str) -> None:
    """Applies one stored Stripe event (queued by the webhook after storing it)."""
    stripe_event_apply(event_id=stripe_id)


# An event stored this long ago and still not applied has lost its task (or its claim
# ran out): well past the retries' first minutes, so a task still retrying is not doubled.
REQUEUE_AFTER = dt.timedelta(minutes=20)


@shared_task(name="billing.events_requeue")
def billing_events_requeue_task() -> int:
    """Queues the apply task again for each stored event that is not applied yet (every 10 min).

    A worker that died, or a broker that lost the message, leaves an event stored and
    unapplied; applying is claimed and idempotent, so queueing one twice does no harm.
    """
    queued = 0
    stale = stripe_events_unapplied(received_before=timezone.now() - REQUEUE_AFTER)
    for stripe_id in stale.values_list("stripe_id", flat=True).iterator():
        billing_event_apply.apply_async(args=(stripe_id,), headers={"_schema_name": "public"})
        queued += 1
    return queued


@shared_task(name="billing.dunning_advance")
def billing_dunning_advance_task() -> int:
    """Moves towns along past due → read-only → suspended as their grace periods run out."""
    return billing_dunning_advance()


@shared_task(
    name="billing.letters_report",
    autoretry_for=STRIPE_TRANSIENT,
    retry_backoff=60,
    max_retries=10,
)
def billing_letters_report_task() -> int:
    """Reports every billed town's posted letters to Stripe's meter (hourly; idempotent)."""
    reported = 0
    for account in BillingAccount.objects.select_related("town").exclude(stripe_subscription_id=""):
        reported += billing_letters_report(town=account.town)
    return reported
