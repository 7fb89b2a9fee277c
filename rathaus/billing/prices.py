"""Prices as data: each ``ModulePrice`` row becomes a Stripe price, found by its lookup key."""

import logging
from decimal import Decimal

import stripe
from django.db import transaction

from rathaus.billing.client import stripe_client
from rathaus.billing.models import BillingAccount, ModulePrice

logger = logging.getLogger(__name__)


def cents(amount: Decimal) -> int:
    """Euros (Decimal) as Stripe's whole cents; refuses fractions of a cent."""
    value = amount * 100
    if value != value.to_integral_value():
        raise ValueError(f"{amount} EUR is not a whole number of cents")
    return int(value)


def euros(amount: int | None) -> Decimal:
    """Stripe's cents as euros (Decimal)."""
    return (Decimal(amount or 0) / 100).quantize(Decimal("0.01"))


def module_price_for(*, account: BillingAccount, price_key: str) -> ModulePrice | None:
    """The row a town pays for ``price_key``: its interval, the highest band it reaches."""
    return (
        ModulePrice.objects.filter(
            price_key=price_key,
            interval=account.interval,
            population_from__lte=account.population or 0,
        )
        .order_by("-population_from")
        .first()
    )


def _product_ensure(*, client: stripe.StripeClient, price_key: str) -> str:
    product_id = f"rathaus-{price_key.replace('_', '-')}"
    try:
        client.v1.products.retrieve(product_id)
    except stripe.InvalidRequestError as error:
        if error.http_status != 404:
            raise
        client.v1.products.create(
            params={"id": product_id, "name": price_key, "metadata": {"price_key": price_key}},
            options={"idempotency_key": f"product-{product_id}"},
        )
    return product_id


def module_price_ensure(*, price: ModulePrice) -> str:
    """The Stripe price id of ``price``; made (or made again, the amount changed) if need be.

    Stripe is called with no transaction open; a new price takes over the lookup
    key (``transfer_lookup_key``), so the key always names the current amount.
    """
    if price.stripe_price_id and price.stripe_amount == price.amount:
        return price.stripe_price_id
    client = stripe_client()
    found = client.v1.prices.list(params={"lookup_keys": [price.lookup_key], "active": True})
    current = next((p for p in found.data if p.unit_amount == cents(price.amount)), None)
    if current is None:
        product = _product_ensure(client=client, price_key=price.price_key)
        current = client.v1.prices.create(
            params={
                "currency": "eur",
                "unit_amount": cents(price.amount),
                "product": product,
                "recurring": {"interval": price.interval},
                "lookup_key": price.lookup_key,
                "transfer_lookup_key": True,
                "nickname": price.price_key,
                "metadata": {"price_key": price.price_key},
            },
            options={"idempotency_key": f"price-{price.lookup_key}-{cents(price.amount)}"},
        )
        logger.info("Stripe price %s made for %s", current.id, price.lookup_key)
    with transaction.atomic(durable=True):
        ModulePrice.objects.filter(pk=price.pk).update(
            stripe_price_id=current.id, stripe_amount=price.amount
        )
    price.stripe_price_id, price.stripe_amount = current.id, price.amount
    return current.id
