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


def queue_on_commit(task: Any, *args: Any, robust: bool = False) -> None:
    """Queues ``task(*args)`` once the current transaction commits, for the current town.

    The town is taken now, not at the commit: the commit may happen after the
    caller has left the town's schema (an outer transaction, as in
    onboarding), and the task must still run in the town that sent it.
    ``robust``: a broker outage is logged instead of failing the committed change.
    """
    from django.db import transaction

    from rathaus.tenants.db import current_schema_name

    schema = current_schema_name()
    transaction.on_commit(
        lambda: task.apply_async(args=args, headers={"_schema_name": schema}), robust=robust
    )
