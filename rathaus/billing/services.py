"""Billing's writes. Stripe is called from here only, through ``stripe_client``."""

import logging

import stripe
from django.db import IntegrityError, transaction

from rathaus.billing.client import stripe_client
from rathaus.billing.models import BillingAccount
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)

PAGE_SIZE = 100


def _customer_metadata(*, town: Municipality) -> dict[str, str]:
    return {"town_id": str(town.pk), "ags": town.ags, "slug": town.slug}


def _customer_find(*, client: stripe.StripeClient, town: Municipality) -> stripe.Customer | None:
    """The town's customer at Stripe if one was made before (its row not saved: a crash).

    Matches ``metadata.town_id`` and ``metadata.ags`` together, so a town id
    reused by a fresh database never picks up another town's customer. Lists
    rather than searches: Stripe's search lags behind writes by up to a minute,
    which is just the window of a retry after a crash (and localstripe has none).
    """
    wanted = {"town_id": str(town.pk), "ags": town.ags}
    customers = client.v1.customers.list(params={"limit": PAGE_SIZE})
    for customer in customers.auto_paging_iter():
        metadata = customer.metadata.to_dict() if customer.metadata else {}
        if all(metadata.get(key) == value for key, value in wanted.items()):
            return customer
    return None


def billing_customer_ensure(*, town: Municipality) -> BillingAccount:
    """The town's billing account; makes its Stripe customer first if there is none.

    Idempotent: an existing account is returned as it is; a customer made by an
    earlier attempt that crashed before saving its id is found again by its
    metadata, and the create carries the idempotency key
    ``town-<pk>-<ags>-customer`` (on real Stripe, calls at once or retries within
    24 hours get the same customer), so a town keeps one customer.

    Stripe is called with no database transaction open and no lock held, so a
    slow or unreachable Stripe never holds up the database: the account row is
    written afterwards in a short transaction of its own (``durable``: calling
    this inside another transaction is an error). Should two calls at once have
    made two customers all the same (localstripe has no idempotency keys), the
    row that was stored first wins and the other call deletes the customer it made.
    """
    with transaction.atomic(durable=True):  # refuses at once inside a caller's transaction
        existing = BillingAccount.objects.filter(town=town).first()
    if existing is not None:
        return existing
    client = stripe_client()
    customer = _customer_find(client=client, town=town)
    made_here = customer is None
    if customer is None:
        customer = client.v1.customers.create(
            params={"name": town.name, "metadata": _customer_metadata(town=town)},
            options={"idempotency_key": f"town-{town.pk}-{town.ags}-customer"},
        )
        logger.info("Stripe customer %s made for %s (%s)", customer.id, town.name, town.ags)
    else:
        logger.info("Stripe customer %s found again for %s", customer.id, town.name)
    try:
        with transaction.atomic(durable=True):
            return BillingAccount.objects.create(town=town, stripe_customer_id=customer.id)
    except IntegrityError:
        account = BillingAccount.objects.get(town=town)  # another call stored its customer first
    if made_here and account.stripe_customer_id != customer.id:
        _customer_discard(client=client, customer_id=customer.id, town=town)
    return account


def _customer_discard(*, client: stripe.StripeClient, customer_id: str, town: Municipality) -> None:
    """Deletes a customer this call has just made in vain (nothing is billed to it yet)."""
    try:
        client.v1.customers.delete(customer_id)
    except stripe.StripeError:
        # The town's account is in order; only a surplus, empty customer is left at Stripe.
        logger.exception("Surplus Stripe customer %s of %s not deleted", customer_id, town.ags)
    else:
        logger.warning("Surplus Stripe customer %s of %s deleted", customer_id, town.ags)
