"""The Stripe client, configured from settings on every call (tests point it at localstripe)."""

import stripe
from django.conf import settings


def stripe_client() -> stripe.StripeClient:
    """A client for ``STRIPE_API_KEY`` at ``STRIPE_API_BASE`` (empty: Stripe's real API)."""
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        settings.STRIPE_API_KEY,
        base_addresses={"api": base} if base else None,
        # Stripe's client retries network failures itself, with an idempotency key of its own.
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )
