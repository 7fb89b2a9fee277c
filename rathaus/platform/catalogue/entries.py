"""What a service in the catalogue is, as the layers above describe it to the platform.

A source (each active service module, through the module framework) lists
``ServiceEntry`` objects; the platform shows them on the home page, groups
them by life situation, searches them and gives each its own page.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from rathaus.platform.weekdays import WEEKDAYS

Text = str | Promise


@dataclass(frozen=True)
class OpeningTime:
    """A weekly opening period of a place (``weekday``: 0 = Monday, as ``date.weekday()``)."""

    weekday: int
    opens: dt.time
    closes: dt.time


@dataclass(frozen=True)
class OpeningDay:
    """A weekday with its opening periods, for display ("Montag: 08:00–12:00, 13:00–16:00")."""

    weekday: Text
    periods: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """Where a service is given: a name, an address and weekly opening hours."""

    name: Text
    address: str = ""
    opening_hours: tuple[OpeningTime, ...] = ()

    def opening_days(self) -> list[OpeningDay]:
        """The opening hours by day; consecutive days with the same hours are one line
        ("Montag bis Freitag: 08:00–16:00"), so a phone shows three lines, not seven."""
        names = dict(WEEKDAYS)
        days: dict[int, tuple[str, ...]] = {}
        for time in sorted(self.opening_hours, key=lambda t: (t.weekday, t.opens)):
            days[time.weekday] = (
                *days.get(time.weekday, ()),
                f"{time.opens:%H:%M}–{time.closes:%H:%M}",
            )
        runs: list[tuple[int, int, tuple[str, ...]]] = []
        for weekday, periods in days.items():
            if runs and runs[-1][1] == weekday - 1 and runs[-1][2] == periods:
                runs[-1] = (runs[-1][0], weekday, periods)
            else:
                runs.append((weekday, weekday, periods))
        return [OpeningDay(_day_span(names, first, last), periods) for first, last, periods in runs]


def _day_span(names: Mapping[int, Text], first: int, last: int) -> Text:
    if first == last:
        return names[first]
    if last == first + 1:
        return format_lazy("{}, {}", names[first], names[last])
    return format_lazy(_("{first} bis {last}"), first=names[first], last=names[last])


@dataclass(frozen=True)
class Action:
    """A button on the service's page, e.g. "Termin buchen" or "Online beantragen"."""

    label: Text
    url: str


@dataclass(frozen=True)
class NextFree:
    """The next free appointment for a service: when, where, and the link that books it."""

    start: dt.datetime
    place: Text
    url: str


@dataclass(frozen=True)
class ServiceEntry:
    """One service of the town as the catalogue shows it.

    ``key`` is stable for the service within its source (it is the page's
    address, ``/leistungen/<key>/``, so it must not change when the title
    does); ``life_situations`` are keys of
    ``rathaus.platform.catalogue.life_situations.LIFE_SITUATIONS``; ``fee``
    is in euro (``Decimal``; ``0`` is free of charge) or a text when it
    depends ("37,00 €, unter 24 Jahren 22,80 €"), never a float; ``keywords``
    are other words people search for (synonyms, English). ``source`` is
    filled in by whoever lists the entry (the module's key); ``slug`` by the
    catalogue (``key``, or ``<source>-<key>`` where two sources use one key).
    """

    key: str
    title: Text
    summary: Text = ""
    description: Text = ""
    life_situations: tuple[str, ...] = ()
    documents: tuple[Text, ...] = ()
    fee: Decimal | Text | None = None
    # How long the visit takes (e.g. an appointment's 30 minutes) and until it is done.
    duration_minutes: int | None = None
    processing_time: Text = ""
    keywords: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    places: tuple[Place, ...] = ()
    # Shown on the home page among the services people ask for most.
    popular: bool = False
    source: str = ""
    slug: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.fee, float):
            raise TypeError("A fee is a Decimal or a text, never a float")
