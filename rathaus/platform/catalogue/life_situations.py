"""Life situations (Lebenslagen): how people look for what the town does for them."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Text = str | Promise


@dataclass(frozen=True)
class LifeSituation:
    """A group of services on the home page, e.g. "Familie und Kinder"; ``key`` is its URL."""

    key: str
    title: Text
    summary: Text


# In the order the home page shows them; a module names them by key.
LIFE_SITUATIONS: tuple[LifeSituation, ...] = (
    LifeSituation(
        "ausweise-und-dokumente",
        _("Ausweise und Dokumente"),
        _("Personalausweis, Reisepass, Führungszeugnis, Beglaubigungen"),
    ),
    LifeSituation(
        "umzug-und-meldewesen",
        _("Umzug und Meldewesen"),
        _("Wohnsitz anmelden, Meldebescheinigung, Auskunft aus dem Melderegister"),
    ),
    LifeSituation(
        "familie-und-kinder",
        _("Familie und Kinder"),
        _("Geburt, Ehe, Kita-Platz, Schule"),
    ),
    LifeSituation("tiere", _("Tiere"), _("Hund anmelden, Hundesteuer, Fundtiere")),
    LifeSituation(
        "bauen-und-wohnen",
        _("Bauen und Wohnen"),
        _("Bauantrag, Grundstück, Straßenreinigung, Abfall"),
    ),
    LifeSituation(
        "gewerbe-und-arbeit",
        _("Gewerbe und Arbeit"),
        _("Gewerbe anmelden, ummelden oder abmelden, Erlaubnisse"),
    ),
    LifeSituation(
        "sicherheit-und-feuerwehr",
        _("Sicherheit und Feuerwehr"),
        _("Fundsachen, Feuerwehr, Veranstaltungen anmelden"),
    ),
    LifeSituation(
        "rathaus-und-politik",
        _("Rathaus und Politik"),
        _("Kontakt, Öffnungszeiten, Neuigkeiten aus der Verwaltung"),
    ),
)

LIFE_SITUATION_KEYS = frozenset(situation.key for situation in LIFE_SITUATIONS)


def life_situation(key: str) -> LifeSituation | None:
    return next((s for s in LIFE_SITUATIONS if s.key == key), None)


def life_situation_choices() -> list[tuple[str, Text]]:
    """The life situations as form choices, for the forms of the services that name them."""
    return [(situation.key, situation.title) for situation in LIFE_SITUATIONS]
