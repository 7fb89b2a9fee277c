"""One booking per submitted form: a second click on "Verbindlich buchen" books nothing more.

On a slow phone connection people press the button twice. The booking form's
token (``BookingForm.submission_token``) names one showing of the form; the
platform's ``submitted_once`` lets the first request with it book and gives
any later one the booking the first one made.
"""

import uuid
from collections.abc import Callable

from django.utils.translation import gettext as _

from rathaus.platform.abuse.once import AlreadySubmitted, submitted_once

from .errors import BookingError
from .forms import BookingForm
from .models import Booking


class ResubmittedError(BookingError):
    status = 409


def _booking(reference: str) -> Booking | None:
    try:
        return Booking.objects.filter(uuid=uuid.UUID(reference)).first()
    except ValueError:
        return None


def booked_once(*, token: str, book: Callable[[], Booking]) -> Booking:
    """Runs ``book`` for the first request with form ``token``; a repeat gets its booking.

    A refused booking (``BookingError``) frees the token, so the form may be
    sent again.
    """
    try:
        return submitted_once(
            token=token,
            purpose=BookingForm.bot_check_purpose,
            submit=book,
            remember=lambda booking: str(booking.uuid),
            recall=_booking,
            refusals=(BookingError,),
            ttl=BookingForm.max_fill_seconds,
        )
    except AlreadySubmitted:
        raise ResubmittedError(
            "resubmitted",
            _("Diese Buchung wurde schon abgeschickt. Bitte laden Sie die Seite neu."),
        ) from None
