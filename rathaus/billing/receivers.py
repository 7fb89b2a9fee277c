"""Billing listens to the vendor's gate: each change queues the town's subscription sync."""

from typing import Any

from django.dispatch import receiver

from rathaus.billing.tasks import billing_subscription_sync_task
from rathaus.modules.signals import module_allowed, module_withdrawn
from rathaus.tenants.models import Municipality


@receiver([module_allowed, module_withdrawn])
def subscription_sync_queue(sender: Any, town: Municipality, key: str, **kwargs: Any) -> None:
    """Sent after the commit of the gate's change; the sync runs in the public schema."""
    billing_subscription_sync_task.apply_async(args=(town.pk,), headers={"_schema_name": "public"})
