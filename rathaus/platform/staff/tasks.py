"""Background work of the back office."""

from celery import shared_task

from rathaus.platform.staff.invitations import staff_invitation_legacy
from rathaus.tenants.current import current_town


@shared_task(name="staff.send_invitation", ignore_result=True)
def send_staff_invitation(user_id: int) -> bool:
    """An invitation task queued before the outbox existed (still in the broker at the deploy):
    the invitation goes through the outbox now, unless the old ledger says it was sent."""
    return staff_invitation_legacy(town=current_town(), user_id=user_id) is not None
