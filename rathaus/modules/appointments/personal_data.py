"""What the appointments module keeps on a person, for "Meine Daten" and account deletion.

A person's bookings are those of the account and those booked as a guest with
the account's e-mail address (bookings store it lower-cased).
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from rathaus.platform.identity.models import User
from rathaus.platform.identity.selectors import account_proven_email

from .models import Booking
from .selectors import local_zone

# What erasing changes on a booking (``bulk_update`` leaves ``auto_now`` alone).
ERASED_FIELDS = [
    "user",
    "name",
    "email",
    "phone",
    "secret",
    "status",
    "hold_until",
    "updated_at",
]


def _bookings_of(user: User) -> QuerySet[Booking]:
    """The person's bookings: by account, and a guest's under an address the person proved."""
    mine = Q(user_id=user.pk)
    if email := account_proven_email(user=user):
        mine |= Q(email__iexact=email)
    return Booking.objects.filter(mine)


def _iso(value: dt.datetime | None) -> str | None:
    """Local time with its offset, as the person booked it."""
    return timezone.localtime(value, local_zone()).isoformat() if value is not None else None


def bookings_data_export(*, user: User) -> dict[str, Any]:
    """Every booking of the person, oldest first, with what was stored about them."""
    bookings = _bookings_of(user).select_related("service", "location").order_by("start", "pk")
    return {
        "bookings": [
            {
                "reference": booking.reference,
                "uuid": str(booking.uuid),
                "service": booking.service.name,
                "location": booking.location.name,
                "start": _iso(booking.start),
                "end": _iso(booking.end),
                "status": booking.status,
                "status_text": str(booking.get_status_display()),
                "name": booking.name,
                "email": booking.email,
                "phone": booking.phone,
                "booked_at": _iso(booking.created_at),
            }
            for booking in bookings
        ]
    }


@transaction.atomic
def bookings_data_erase(*, user: User, now: dt.datetime | None = None) -> int:
    """Frees the person's future places and anonymises every booking; returns how many.

    A booking that has not begun yet is cancelled, so its place can be booked
    again; the others keep their status for the town's statistics. Every row
    loses the name, e-mail address, phone number, site and account, and its
    secret, so links in old e-mails open nothing any more. E-mails about them
    still waiting to go out are dropped: the person gets no mail after leaving.
    """
    now = now or timezone.now()
    bookings = list(_bookings_of(user).select_for_update().order_by("pk"))
    if not bookings:
        return 0
    secret_field = Booking._meta.get_field("secret")
    for booking in bookings:
        if booking.start > now and booking.status in (
            Booking.Status.PENDING,
            Booking.Status.CONFIRMED,
        ):
            booking.status = Booking.Status.CANCELLED
            booking.hold_until = None
        booking.user = None
        booking.name = ""
        booking.email = ""
        booking.phone = ""
        booking.secret = secret_field.get_default()
        booking.updated_at = now
    # E-mails still waiting for these bookings find them anonymised or cancelled and are
    # skipped; the outbox's own section drops the person's rows besides.
    Booking.objects.bulk_update(bookings, ERASED_FIELDS)
    return len(bookings)
