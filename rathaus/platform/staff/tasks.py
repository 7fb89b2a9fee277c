"""Background work of the back office."""

from celery import shared_task

from rathaus.platform.staff.invitations import staff_invitation_send
from rathaus.tenants.db import tenant_connection


@shared_task(name="staff.send_invitation", autoretry_for=(OSError,), max_retries=5)
def send_staff_invitation(user_id: int) -> bool:
    """Sends the invitation of a staff member of the town the task runs in (idempotent)."""
    return staff_invitation_send(town=tenant_connection.tenant, user_id=user_id)
