"""What the worker does for accounts, done in the test's own transaction."""

from django_tenants.utils import tenant_context

from rathaus.platform.identity.models import EmailConfirmation, PhoneChallenge
from rathaus.platform.identity.tasks import send_email_confirmation, send_phone_code
from rathaus.tenants.models import Municipality


def send_queued(town: Municipality) -> None:
    """Runs the tasks for every confirmation e-mail and SMS code ``town`` has still to send.

    A test's data is never committed, so the tasks queued on commit never leave;
    this runs them in the test's transaction instead, as the worker would.
    """
    with tenant_context(town):
        for pk in EmailConfirmation.objects.filter(sent_at__isnull=True).values_list(
            "pk", flat=True
        ):
            send_email_confirmation(pk)
        for pk in PhoneChallenge.objects.filter(
            sent_at__isnull=True, used_at__isnull=True
        ).values_list("pk", flat=True):
            send_phone_code(pk)
