"""Billing's background work, as far as the tenant lifecycle needs it."""

import logging

import stripe
from celery import shared_task

from rathaus.billing.services import billing_customer_ensure
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
