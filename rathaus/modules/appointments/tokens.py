"""Signed links in e-mails: manage (cancel, move) a booking, and confirm a guest's booking.

A token names the town's schema and the booking's secret, so it opens nothing
in another town and dies when the booking's secret changes.
"""

import uuid

from django.core import signing

from rathaus.tenants.db import current_schema_name

from .models import Booking

MANAGE_SALT = "rathaus.appointments.manage"
CONFIRM_SALT = "rathaus.appointments.confirm"


def _payload(booking: Booking) -> dict[str, str]:
    return {"s": current_schema_name(), "b": str(booking.uuid), "k": booking.secret}


def manage_token(booking: Booking) -> str:
    return signing.dumps(_payload(booking), salt=MANAGE_SALT, compress=True)


def confirm_token(booking: Booking) -> str:
    return signing.dumps(_payload(booking), salt=CONFIRM_SALT, compress=True)


def _booking(token: str, salt: str, max_age: int | None = None) -> Booking | None:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != current_schema_name():
        return None
    try:
        booking_uuid = uuid.UUID(str(data.get("b")))
    except ValueError:
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
