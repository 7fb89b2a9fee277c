"""Helpers for idempotency keys: an address or a secret never goes into a key, its digest may."""

from django.utils.crypto import salted_hmac

DIGEST_LENGTH = 20


def address_digest(address: str) -> str:
    """A keyed digest of an address (case-insensitive): stable, and no dictionary reverses it."""
    return salted_hmac("rathaus.messaging.key", address.strip().lower()).hexdigest()[:DIGEST_LENGTH]
