"""Celery tasks of online applications; each runs in the schema of the town that sent it."""

from typing import Any

from celery import shared_task

from rathaus.tenants.current import current_town


@shared_task(name="applications.retention", ignore_result=True)
def retention() -> dict[str, Any]:
    """Beat, nightly in every town where the module is on: removes or anonymises what each
    form's ``retention`` says is due (``retention.retention_apply``); idempotent."""
    from .retention import retention_apply

    return retention_apply(town=current_town())
