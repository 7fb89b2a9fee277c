"""One booking per submitted form: a second click on "Verbindlich buchen" books nothing more.

On a slow phone connection people press the button twice. Each showing of the
booking form carries its own signed token (``forms.form_started_token``); the
first request with a token claims it in the town's cache, and any later one
with the same token gets the booking the first one made.
"""

import hashlib
import time
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.utils.translation import gettext as _

from .errors import BookingError
from .forms import MAX_FILL_SECONDS
from .models import Booking

_CLAIMED = "claimed"
# How long a repeated click waits for the first one's booking to be made.
WAIT_SECONDS = 5.0


class ResubmittedError(BookingError):
    status = 409


def _key(token: str) -> str:
    return "appointments:submitted:" + hashlib.sha256(token.encode()).hexdigest()


def booked_once(*, token: str, book: Callable[[], Booking]) -> Booking:
    """Runs ``book`` for the first request with form ``token``; a repeat gets its booking.

    A refused booking (``BookingError``) frees the token, so the form may be
    sent again.
    """
    key = _key(token)
    if not cache.add(key, _CLAIMED, timeout=MAX_FILL_SECONDS):
        return _earlier_booking(key)
    try:
        booking = book()
    except BookingError:
        cache.delete(key)
        raise
    cache.set(key, str(booking.uuid), timeout=MAX_FILL_SECONDS)
    return booking


def _earlier_booking(key: str) -> Booking:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = cache.get(key)
        if value not in (None, _CLAIMED):
            booking = Booking.objects.filter(uuid=uuid.UUID(value)).first()
            if booking is not None:
                return booking
        if value is None or time.monotonic() > deadline:
            raise ResubmittedError(
                "resubmitted",
                _("Diese Buchung wurde schon abgeschickt. Bitte laden Sie die Seite neu."),
            )
        time.sleep(0.1)
