"""Celery beat scheduler: a schedule entry runs once per active town, or once for the platform.

An entry without ``tenant_schemas`` is sent to every *active* town (a
suspended town does no background work); a module's entry
(``Module.periodic_tasks``) only to active towns where that module is active.
An entry with ``"tenant_schemas": ["public"]`` runs once in the public schema;
the upstream scheduler looks the public schema up as a tenant row, which this
deployment deliberately does not have.
"""

import logging
from typing import Any

from celery.beat import ScheduleEntry
from django.db.models import QuerySet
from django_tenants.utils import get_public_schema_name, schema_context
from tenant_schemas_celery.scheduler import TenantAwareScheduler

logger = logging.getLogger(__name__)


def beat_schedule_with_modules(schedule: dict[str, Any]) -> dict[str, Any]:
    """``schedule`` (the settings' entries) plus every module's periodic tasks."""
    from django.apps import apps

    from rathaus.modules.registry import module_beat_schedule

    # The registry fills as the apps load: asked earlier it would be silently empty.
    apps.check_apps_ready()
    return {**schedule, **module_beat_schedule()}


class TownAwareScheduler(TenantAwareScheduler):
    def setup_schedule(self) -> None:
        self.app.conf.beat_schedule = beat_schedule_with_modules(self.app.conf.beat_schedule)
        super().setup_schedule()

    @classmethod
    def get_queryset(cls) -> QuerySet[Any]:
        from rathaus.tenants.models import Municipality

        return Municipality.objects.active()

    def apply_entry(self, entry: ScheduleEntry, producer: Any = None) -> None:
        headers = (entry.options or {}).get("headers") or {}
        if headers.get("_schema_name") == get_public_schema_name():
            self._send_in(get_public_schema_name(), entry, producer)
        elif headers.get("_module"):
            from rathaus.modules.selectors import towns_with_module_active

            for schema in towns_with_module_active(key=headers["_module"]):
                self._send_in(schema, entry, producer)
        else:
            super().apply_entry(entry, producer=producer)

    def _send_in(self, schema: str, entry: ScheduleEntry, producer: Any) -> None:
        with schema_context(schema):
            try:
                self.apply_async(entry, producer=producer, advance=False)
            except Exception:
                logger.exception("Sending %s to %s failed", entry.task, schema)
