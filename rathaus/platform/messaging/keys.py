"""Helpers for idempotency keys: an address or a secret never goes into a key, its digest may."""

import re

from django.utils.crypto import salted_hmac

DIGEST_LENGTH = 20
# A digest as a part of a key, between colons (a uuid's hex has 32 digits, a digest 20).
_DIGEST_PART = re.compile(rf"(?<![^:])[0-9a-f]{{{DIGEST_LENGTH}}}(?![^:])")


def address_digest(address: str) -> str:
    """A keyed digest of an address (case-insensitive): stable, and no dictionary reverses it."""
    return salted_hmac("rathaus.messaging.key", address.strip().lower()).hexdigest()[:DIGEST_LENGTH]


def key_without_addresses(key: str, *, addresses: list[str], replacement: str) -> str:
    """``key`` with every address digest in it, and any of ``addresses`` (should a sender
    have put one in), replaced by ``replacement``: for erasing a person's data.

    A digest is pseudonymous, not anonymous: whoever knows the secret key and an
    address can recompute it.
    """
    for address in addresses:
        if address:
            key = re.sub(re.escape(address), replacement, key, flags=re.IGNORECASE)
    return _DIGEST_PART.sub(replacement, key)
