""" "Neuigkeiten abonnieren" as an entry of the town's service catalogue."""

from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rathaus.platform.catalogue.entries import Action, ServiceEntry


def news_catalogue_entries() -> list[ServiceEntry]:
    return [
        ServiceEntry(
            key="neuigkeiten-abonnieren",
            title=_("Neuigkeiten aus dem Rathaus abonnieren"),
            summary=_(
                "Bekanntmachungen und Meldungen der Verwaltung per E-Mail erhalten, "
                "nach Themen ausgewählt."
            ),
            life_situations=("rathaus-und-politik",),
            fee=Decimal("0"),
            keywords=("Newsletter", "Amtsblatt", "Bekanntmachungen", "Meldungen", "news"),
            actions=(
                Action(_("Themen auswählen"), reverse("news:subscribe")),
                Action(_("Neuigkeiten lesen"), reverse("news:index")),
            ),
        )
    ]
