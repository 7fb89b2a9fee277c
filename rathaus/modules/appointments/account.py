"""The appointments part of "Mein Rathaus"."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.modules.registry import AccountSection
from rathaus.platform.identity.models import User

from .selectors import bookings_of_user


def appointments_account_sections(*, user: User) -> list[AccountSection]:
    """ "Meine Termine": the person's page of bookings, with how many are coming up."""
    upcoming = bookings_of_user(user=user).count()
    summary = ngettext("%(count)s kommender Termin", "%(count)s kommende Termine", upcoming) % {
        "count": upcoming
    }
    return [AccountSection(title=_("Meine Termine"), url_name="mine", summary=summary)]
