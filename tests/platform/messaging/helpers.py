"""What the worker does with a town's outbox, done in the test's own transaction."""

from collections.abc import Iterable

from django_tenants.utils import tenant_context

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import DeliveryResult, messages_deliver
from rathaus.tenants.models import Municipality


def deliver_waiting(
    town: Municipality, *, kinds: Iterable[str] | None = None, claim: str = "test-worker"
) -> DeliveryResult:
    """Sends every waiting message of ``town`` (of ``kinds``, if given), due or not.

    A test's data is never committed, so the tasks queued on commit never leave;
    this runs the delivery in the test's transaction instead, as the worker would.
    """
    with tenant_context(town):
        waiting = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING)
        if kinds is not None:
            waiting = waiting.filter(kind__in=list(kinds))
        ids = list(waiting.order_by("pk").values_list("pk", flat=True))
        return messages_deliver(message_ids=ids, claim=claim)
