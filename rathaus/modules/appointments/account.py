"""The appointments part of "Mein Rathaus"."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.modules.registry import AccountItem, AccountSection
from rathaus.platform.identity.models import User

from .selectors import bookings_of_user, local_zone
from .tokens import manage_token

# How many of the coming appointments "Mein Rathaus" lists; "Meine Termine" has all.
SHOWN = 3


def appointments_account_sections(*, user: User) -> list[AccountSection]:
    """ "Meine Termine": how many bookings are coming up, and the next few with their pages."""
    upcoming = list(bookings_of_user(user=user))
    summary = ngettext(
        "%(count)s kommender Termin", "%(count)s kommende Termine", len(upcoming)
    ) % {"count": len(upcoming)}
    zone = local_zone()
    items = tuple(
        AccountItem(
            title=booking.service.name,
            url=reverse("appointments:manage", args=[manage_token(booking)]),
            detail=_("%(when)s Uhr, %(place)s")
            % {
                "when": formats.date_format(
                    timezone.localtime(booking.start, zone), "D, d.m.Y, H:i"
                ),
                "place": booking.location.name,
            },
        )
        for booking in upcoming[:SHOWN]
    )
    return [AccountSection(title=_("Meine Termine"), url_name="mine", summary=summary, items=items)]
