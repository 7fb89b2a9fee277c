"""The base of every Celery task: runs in the sender's town, and not at all for a suspended town."""

import logging
from typing import Any

from tenant_schemas_celery.task import TenantTask

logger = logging.getLogger(__name__)


class TownTask(TenantTask):
    """A tenant-aware task that does nothing while its town is suspended.

    Beat already skips suspended towns; this also stops work that was queued
    before the suspension (bulk notices, reminders, fan-outs). The status is
    read from the database, not from tenant-schemas-celery's tenant cache, so
    a suspension takes effect for the next task.
    """

    abstract = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from rathaus.tenants.db import tenant_connection
        from rathaus.tenants.models import Municipality

        town = getattr(tenant_connection, "tenant", None)
        if isinstance(town, Municipality) and not (
            Municipality.objects.filter(pk=town.pk, status=Municipality.Status.ACTIVE).exists()
        ):
            logger.info("Skipped %s: town %s is suspended", self.name, town.schema_name)
            return None
        return super().__call__(*args, **kwargs)
