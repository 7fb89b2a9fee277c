"""Background work of the back office."""

from celery import shared_task

from rathaus.platform.staff.invitations import staff_invitation_send
from rathaus.tenants.current import current_town


@shared_task(name="staff.send_invitation", autoretry_for=(OSError,), max_retries=5)
def send_staff_invitation(user_id: int) -> bool:
    """Sends the invitation of a staff member of the town the task runs in (idempotent)."""
    return staff_invitation_send(town=current_town(), user_id=user_id)
