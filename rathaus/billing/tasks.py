"""Billing's background work, as far as the tenant lifecycle needs it."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="billing.customer_create")
def billing_customer_create(town_id: int) -> None:
    """Creates the Stripe customer of a newly onboarded town.

    TODO(billing issue): not implemented yet. Onboarding already queues this
    task once per new town (on commit); the billing app must create the Stripe
    customer here idempotently (look it up by ``metadata.town_id`` first) and
    store its id. Until then it only logs.
    """
    logger.info("TODO billing: Stripe customer for town %s not created yet", town_id)
