"""What the worker does for accounts, done in the test's own transaction."""

from rathaus.platform.identity.messages import EMAIL_CONFIRMATION, PASSWORD_RESET, PHONE_CODE
from rathaus.platform.messaging.services import DeliveryResult
from rathaus.tenants.models import Municipality
from tests.platform.messaging.helpers import deliver_waiting


def send_queued(town: Municipality) -> DeliveryResult:
    """Sends every confirmation e-mail, SMS code and password link ``town`` has still to send.

    A test's data is never committed, so the tasks queued on commit never leave;
    this delivers in the test's transaction instead, as the worker would.
    """
    return deliver_waiting(town, kinds=[EMAIL_CONFIRMATION, PHONE_CODE, PASSWORD_RESET])
