"""Signed links in e-mails: manage (cancel, move) a booking, and confirm a guest's booking.

Tokens are signed for the town (``rathaus.tenants.signing``), so they open nothing
in another town; they carry the booking's secret and die when it changes.
"""

import uuid

from rathaus.tenants.signing import BadToken, town_dumps, town_loads

from .models import Booking

MANAGE_SALT = "rathaus.appointments.manage"
CONFIRM_SALT = "rathaus.appointments.confirm"


def _payload(booking: Booking) -> dict[str, str]:
    return {"b": str(booking.uuid), "k": booking.secret}


def manage_token(booking: Booking) -> str:
    return town_dumps(_payload(booking), salt=MANAGE_SALT)


def confirm_token(booking: Booking) -> str:
    return town_dumps(_payload(booking), salt=CONFIRM_SALT)


def _booking(token: str, salt: str) -> Booking | None:
    try:
        # Links in e-mails sent before December 2026 named the schema under "s"; a
        # booking's manage link lives as long as the booking.
        data = town_loads(token, salt=salt, legacy_key="s")
        booking_uuid = uuid.UUID(str(data.get("b")))
    except (BadToken, AttributeError, ValueError):
        return None
    return (
        Booking.objects.select_related("service", "location")
        .filter(uuid=booking_uuid, secret=str(data.get("k")))
        .first()
    )


def booking_for_manage_token(token: str) -> Booking | None:
    """The booking a manage link names, in the current town; ``None`` for a bad or foreign link."""
    return _booking(token, MANAGE_SALT)


def booking_for_confirm_token(token: str) -> Booking | None:
    return _booking(token, CONFIRM_SALT)
