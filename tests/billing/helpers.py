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
