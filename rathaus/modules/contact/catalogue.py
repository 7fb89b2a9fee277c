""" "Kontakt zum Rathaus" as an entry of the town's service catalogue."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rathaus.platform.catalogue.entries import Action, OpeningTime, Place, ServiceEntry
from rathaus.tenants.current import current_town

from .selectors import contact_details


def _time(value: object) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def contact_catalogue_entries() -> list[ServiceEntry]:
    """One entry: how to reach the town hall, with the office's opening hours."""
    details = contact_details(town=current_town())
    hours = tuple(
        OpeningTime(int(day["weekday"]), _time(day["opens"]), _time(day["closes"]))
        for day in details.get("opening_hours", [])
    )
    reach = [part for part in (details.get("phone"), details.get("email")) if part]
    return [
        ServiceEntry(
            key="kontakt-zum-rathaus",
            title=_("Kontakt zum Rathaus"),
            summary=_("Anschrift, Telefon, E-Mail und Öffnungszeiten der Verwaltung."),
            description=" · ".join(reach),
            life_situations=("rathaus-und-politik",),
            fee=None,
            keywords=(
                "Kontakt",
                "Telefon",
                "E-Mail",
                "Öffnungszeiten",
                "Bürgerbüro",
                "Sprechzeiten",
                "contact",
                "opening hours",
            ),
            actions=(Action(_("Kontakt aufnehmen"), reverse("contact:index")),),
            places=(Place(details.get("office", ""), details.get("address", ""), hours),),
        )
    ]
