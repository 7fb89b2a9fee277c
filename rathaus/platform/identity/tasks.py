"""Background work of accounts; every task runs in the schema of the town that sent it."""

from celery import shared_task

from rathaus.platform.identity import services
from rathaus.platform.identity.sms import SmsError
from rathaus.tenants.current import current_town


@shared_task(
    name="identity.send_email_confirmation",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_email_confirmation(confirmation_id: int) -> bool:
    """Sends one queued confirmation e-mail (once, however often it runs)."""
    return services.email_confirmation_deliver(town=current_town(), confirmation_id=confirmation_id)


@shared_task(
    name="identity.send_phone_code",
    ignore_result=True,
    autoretry_for=(OSError, SmsError),
    retry_backoff=True,
    max_retries=5,
)
def send_phone_code(challenge_id: int) -> bool:
    """Sends the SMS code of one challenge (once; a code that has run out is not sent)."""
    return services.phone_code_deliver(challenge_id=challenge_id)
