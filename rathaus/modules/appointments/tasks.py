"""Background work of appointments; every task runs in the schema of the town that sent it."""

from celery import shared_task

from rathaus.tenants.current import current_town

from . import services


@shared_task(
    name="appointments.deliver_mail",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def deliver_mail(mail_id: int) -> None:
    """Sends one queued booking e-mail (once, however often it runs)."""
    services.mail_deliver(mail_id=mail_id)


@shared_task(name="appointments.send_reminders", ignore_result=True)
def send_reminders() -> int:
    """Beat, per active town: reminders for tomorrow's bookings; run twice, sends once."""
    return services.reminders_send(town=current_town())


@shared_task(name="appointments.expire_holds", ignore_result=True)
def expire_holds() -> int:
    """Beat, per active town: unconfirmed guest bookings give their place back."""
    return services.holds_expire()


@shared_task(name="appointments.requeue_mail", ignore_result=True)
def requeue_mail() -> int:
    """Beat, per active town: e-mails whose task never ran or gave up are queued again."""
    return services.mails_requeue()
