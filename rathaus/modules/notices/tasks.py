"""Celery tasks of bulk notices; each runs in the schema of the town that sent it."""

from typing import Any

from celery import shared_task

from rathaus.platform.messaging.services import new_claim


@shared_task(name="notices.drive", bind=True, ignore_result=True, acks_late=True)
def drive(self: Any, run_id: int) -> int:
    """Hands a released run's waiting recipients to the outbox (``services.run_drive``).

    ``acks_late``: a worker that dies mid-run leaves the task to be delivered again;
    the rows it had claimed in a transaction that did not commit are waiting again,
    those committed are in the outbox once.
    """
    from .services import run_drive

    return run_drive(run_id=run_id, claim=new_claim(prefix=str(self.request.id or "local")))


@shared_task(name="notices.print_status", ignore_result=True)
def print_status() -> int:
    """Beat: asks the print partner about letters not posted yet; records posting dates."""
    from .services import print_jobs_refresh

    return print_jobs_refresh()
