"""Background work of appointments; every task runs in the schema of the town that sent it."""

from celery import shared_task

from rathaus.tenants.current import current_town

from . import services


@shared_task(name="appointments.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Beat, per active town: reminders for tomorrow's bookings; run twice, sends once."""
    return services.reminders_send(town=current_town())


@shared_task(name="appointments.expire_holds", ignore_result=True)
def expire_holds() -> int:
    """Beat, per active town: unconfirmed guest bookings give their place back."""
    return services.holds_expire()
