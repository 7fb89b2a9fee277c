"""Billing's writes. Stripe is called from here only, through ``stripe_client``."""

import logging

import stripe
from django.db import connection, transaction

from rathaus.billing.client import stripe_client
from rathaus.billing.models import BillingAccount
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)

# pg_advisory_xact_lock(ADVISORY_CLASS, town pk): one ensure per town at a time.
ADVISORY_CLASS = 3_000_004
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
    metadata (and, on real Stripe, the create itself carries the idempotency
    key ``town-<pk>-<ags>-customer``), so a town never gets a second customer.
    Concurrent calls for one town wait for each other (advisory lock).
    """
    existing = BillingAccount.objects.filter(town=town).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_CLASS, town.pk])
        existing = BillingAccount.objects.filter(town=town).first()
        if existing is not None:
            return existing
        client = stripe_client()
        customer = _customer_find(client=client, town=town)
        if customer is None:
            customer = client.v1.customers.create(
                params={"name": town.name, "metadata": _customer_metadata(town=town)},
                options={"idempotency_key": f"town-{town.pk}-{town.ags}-customer"},
            )
            logger.info("Stripe customer %s made for %s (%s)", customer.id, town.name, town.ags)
        else:
            logger.info("Stripe customer %s found again for %s", customer.id, town.name)
        return BillingAccount.objects.create(town=town, stripe_customer_id=customer.id)
