"""Celery beat scheduler: a schedule entry runs once per active town, or once for the platform.

An entry without ``tenant_schemas`` is sent to every *active* town (a
suspended town does no background work). An entry with
``"tenant_schemas": ["public"]`` runs once in the public schema; the upstream
scheduler looks the public schema up as a tenant row, which this deployment
deliberately does not have.
"""

import logging
from typing import Any

from celery.beat import ScheduleEntry
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.scheduler import TenantAwareScheduler

logger = logging.getLogger(__name__)


class TownAwareScheduler(TenantAwareScheduler):
    @classmethod
    def get_queryset(cls) -> QuerySet[Any]:
        from rathaus.tenants.models import Municipality

        return Municipality.objects.active()

    def apply_entry(self, entry: ScheduleEntry, producer: Any = None) -> None:
        headers = (entry.options or {}).get("headers") or {}
        if headers.get("_schema_name") != get_public_schema_name():
            super().apply_entry(entry, producer=producer)
            return
        with schema_context(get_public_schema_name()):
            try:
                self.apply_async(entry, producer=producer, advance=False)
            except Exception:
                logger.exception("Sending the platform task %s failed", entry.task)
