"""Shared steps of the billing tests: the vendor's gates, the Stripe stand-in's test helpers."""

import stripe

from rathaus.modules.models import ModuleActivation
from rathaus.modules.services import module_allow
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality
from tests.stripe_standin import signed, standin, stripe_events

VENDOR = Actor.system("vendor-test")
__all__ = ["VENDOR", "allow_only", "items_by_module", "signed", "standin", "stripe_events"]


def allow_only(town: Municipality, *keys: str) -> None:
    """Allows exactly ``keys`` for ``town`` (the gates only; nothing queued is run)."""
    for row in ModuleActivation.objects.filter(town=town).exclude(module__in=keys):
        module_allow(town=town, key=row.module, allowed=False, actor=VENDOR)
    for key in keys:
        module_allow(town=town, key=key, allowed=True, actor=VENDOR)


def items_by_module(
    api: stripe.StripeClient, subscription_id: str
) -> dict[str, stripe.SubscriptionItem]:
    subscription = api.v1.subscriptions.retrieve(subscription_id)
    return {item.metadata["module"]: item for item in subscription["items"].data}
