"""Background work of the outbox; every task runs in the schema of the town that sent it."""

import math
from dataclasses import asdict
from typing import Any

from celery import shared_task

from . import services


def _claim(task: Any) -> str:
    # Per run, not per task: a redelivered task keeps its id while the original may
    # still be running (a visibility timeout ran out), and the two must never share rows.
    return services.new_claim(prefix=str(task.request.id or "local"))


def _retry_if_postponed(task: Any, result: services.DeliveryResult) -> dict[str, Any]:
    if result.retry_in is not None:
        raise task.retry(countdown=max(1, math.ceil(result.retry_in)))
    return asdict(result)


@shared_task(name="messaging.deliver", bind=True, ignore_result=True, max_retries=None)
def deliver(self: Any, message_id: int) -> dict[str, Any]:
    """Sends one message once; the transport down, it tries again after the row's back-off."""
    return _retry_if_postponed(
        self, services.message_deliver(message_id=message_id, claim=_claim(self))
    )


@shared_task(name="messaging.deliver_batch", bind=True, ignore_result=True, max_retries=None)
def deliver_batch(self: Any, message_ids: list[int]) -> dict[str, Any]:
    """Sends a batch over one connection per channel, under a claim of this run's own."""
    return _retry_if_postponed(
        self, services.messages_deliver(message_ids=message_ids, claim=_claim(self))
    )


@shared_task(name="messaging.requeue", ignore_result=True)
def requeue() -> dict[str, int]:
    """Beat, in every active town: queues lost messages again, ends stale hand-overs."""
    return asdict(services.messages_requeue())
