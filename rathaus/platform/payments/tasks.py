"""Payments' tasks; each runs in the schema of the town that queued it."""

from celery import shared_task

from rathaus.tenants.current import current_town


@shared_task(name="payments.event_apply", ignore_result=True)
def payments_event_apply(event_pk: int) -> bool:
    """Applies one stored webhook event (idempotent: an applied one is left as it is)."""
    from .services import provider_event_apply

    return provider_event_apply(town=current_town(), event_pk=event_pk)


@shared_task(name="payments.reconcile", ignore_result=True)
def payments_reconcile() -> dict[str, int]:
    """Nightly in every active town: asks the providers about every payment not final."""
    from .services import payments_reconcile as reconcile

    return reconcile(town=current_town())
