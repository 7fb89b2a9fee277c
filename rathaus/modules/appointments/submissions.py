"""One booking per submitted form: a second click on "Verbindlich buchen" books nothing more.

On a slow phone connection people press the button twice. Each showing of the
booking form carries its own signed token (``forms.form_started_token``); the
first request with a token claims it in the town's cache, and any later one
with the same token is sent to the booking the first one made.
"""

import hashlib
import time
import uuid

from django.core.cache import cache

from .forms import MAX_FILL_SECONDS
from .models import Booking

_CLAIMED = "claimed"
# How long a repeated click waits for the first one's booking to be made.
WAIT_SECONDS = 5.0


def _key(token: str) -> str:
    return "appointments:submitted:" + hashlib.sha256(token.encode()).hexdigest()


def submission_claim(*, token: str) -> bool:
    """``True`` for the first request with this form token; ``False`` for a repeat."""
    return bool(cache.add(_key(token), _CLAIMED, timeout=MAX_FILL_SECONDS))


def submission_booked(*, token: str, booking: Booking) -> None:
    cache.set(_key(token), str(booking.uuid), timeout=MAX_FILL_SECONDS)


def submission_failed(*, token: str) -> None:
    """The booking was refused: the same form may be sent again (e.g. with another time)."""
    cache.delete(_key(token))


def submission_booking(*, token: str) -> Booking | None:
    """The booking the first request with this token made, waiting a little for it."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        value = cache.get(_key(token))
        if value not in (None, _CLAIMED):
            return Booking.objects.filter(uuid=uuid.UUID(value)).first()
        if value is None or time.monotonic() > deadline:
            return None
        time.sleep(0.1)
