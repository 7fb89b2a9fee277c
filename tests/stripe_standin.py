"""The local Stripe (localstripe with the billing and Checkout stand-ins): its test helpers,
signed webhooks and its events, for every test that talks to Stripe."""

import urllib.parse
import urllib.request
from typing import Any

import stripe
from django.conf import settings


def standin(path: str, **data: Any) -> Any:
    """POSTs to one of the stand-in's test helpers (``/_billing/...``, ``/_checkout/...``)."""
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(  # noqa: S310 (our own local server)
        f"{settings.STRIPE_API_BASE}{path}",
        data=body,
        headers={"Authorization": f"Bearer {settings.STRIPE_API_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return answer.read()


def signed(payload: bytes, *, secret: str | None = None, at: int | None = None) -> str:
    """A ``Stripe-Signature`` header for ``payload``, as Stripe makes it."""
    import hashlib
    import hmac
    import time

    stamp = int(time.time()) if at is None else at
    key = (secret or settings.STRIPE_WEBHOOK_SECRET).encode()
    digest = hmac.new(key, b"%d.%s" % (stamp, payload), hashlib.sha256).hexdigest()
    return f"t={stamp},v1={digest}"


def stripe_events(api: stripe.StripeClient, *types: str) -> list[stripe.Event]:
    """The stand-in's events of ``types`` (all when none), oldest first."""
    events = list(api.v1.events.list(params={"limit": 100}).auto_paging_iter())
    wanted = [event for event in events if not types or event.type in types]
    return sorted(wanted, key=lambda event: event.created)
