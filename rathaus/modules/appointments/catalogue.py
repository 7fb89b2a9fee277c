"""The bookable services as entries of the town's service catalogue (home page, search)."""

from collections.abc import Sequence
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rathaus.platform.catalogue.entries import (
    Action,
    NextFree,
    OpeningTime,
    Place,
    ServiceEntry,
)
from rathaus.tenants.current import current_town

from . import selectors
from .models import Location, Service


def _place(location: Location) -> Place:
    return Place(
        location.name,
        location.address,
        tuple(OpeningTime(h.weekday, h.opens, h.closes) for h in location.opening_hours.all()),
    )


def _entry(service: Service) -> ServiceEntry:
    places = [location for location in service.locations.all() if location.is_active]
    return ServiceEntry(
        key=service.slug,
        title=service.name,
        summary=service.summary,
        description=service.description,
        life_situations=tuple(service.life_situations),
        documents=tuple(service.document_list),
        fee=service.fee_note or service.fee,
        duration_minutes=service.duration_minutes,
        processing_time=service.processing_time,
        keywords=tuple(service.keyword_list),
        actions=(Action(_("Termin buchen"), reverse("appointments:service", args=[service.pk])),),
        places=tuple(_place(location) for location in places),
        popular=service.popular,
    )


def appointments_catalogue_entries() -> list[ServiceEntry]:
    """Every bookable service (active, at an active location), in three queries."""
    services = selectors.bookable_services().prefetch_related("locations__opening_hours")
    return [_entry(service) for service in services]


def appointments_next_free(*, keys: Sequence[str]) -> dict[str, NextFree]:
    """The earliest free time of each service ``keys`` names, over all its places.

    Looks a week ahead first, then over the whole booking horizon, so a
    service with times this week costs one short look per place.
    """
    town = current_town()
    rules = selectors.booking_rules(town=town)
    found: dict[str, NextFree] = {}
    services = selectors.bookable_services().filter(slug__in=list(keys))
    for service in services:
        best: tuple[Location, selectors.Slot] | None = None
        for location in selectors.bookable_locations(service=service):
            for days in (7, rules.booking_horizon_days + 1):
                slots = selectors.free_slots(
                    town=town, service=service, location=location, days=days, rules=rules
                )
                if slots:
                    if best is None or slots[0].start < best[1].start:
                        best = (location, slots[0])
                    break
        if best is not None:
            location, slot = best
            url = reverse("appointments:book", args=[service.pk, location.pk])
            start = timezone.localtime(slot.start, selectors.local_zone())
            found[service.slug] = NextFree(
                slot.start, location.name, f"{url}?start={quote(start.isoformat())}"
            )
    return found
