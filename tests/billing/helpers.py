"""Shared steps of the billing tests: the vendor's gates, the Stripe stand-in's test helpers."""

import urllib.parse
import urllib.request
from typing import Any

import stripe
from django.conf import settings

from rathaus.modules.models import ModuleActivation
from rathaus.modules.services import module_allow
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

VENDOR = Actor.system("vendor-test")


def allow_only(town: Municipality, *keys: str) -> None:
    """Allows exactly ``keys`` for ``town`` (the gates only; nothing queued is run)."""
    for row in ModuleActivation.objects.filter(town=town).exclude(module__in=keys):
        module_allow(town=town, key=row.module, allowed=False, actor=VENDOR)
    for key in keys:
        module_allow(town=town, key=key, allowed=True, actor=VENDOR)


def standin(path: str, **data: Any) -> Any:
    """POSTs to one of the stand-in's test helpers (``/_billing/...``)."""
    body = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(  # noqa: S310 (our own local server)
        f"{settings.STRIPE_API_BASE}{path}",
        data=body,
        headers={"Authorization": f"Bearer {settings.STRIPE_API_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        return answer.read()


def items_by_module(
    api: stripe.StripeClient, subscription_id: str
) -> dict[str, stripe.SubscriptionItem]:
    subscription = api.v1.subscriptions.retrieve(subscription_id)
    return {item.metadata["module"]: item for item in subscription["items"].data}


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
