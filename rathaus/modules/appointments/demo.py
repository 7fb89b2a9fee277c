"""Sample content of a demo town: the Bürgerbüro and two services people book most."""

import datetime as dt

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from .models import Location, OpeningHours, Service

WEEKDAY_HOURS = [(day, dt.time(8), dt.time(18 if day == 3 else 16)) for day in range(5)]
SERVICES = [
    ("Personalausweis beantragen", 30, "Altes Ausweisdokument\nBiometrisches Passfoto"),
    ("Meldebescheinigung", 15, "Personalausweis"),
]


def demo_load(*, town: Municipality, actor: Actor) -> None:
    """A location with two counters, weekday hours and the services, once."""
    location, created = Location.objects.get_or_create(
        name="Bürgerbüro", defaults={"counters": 2, "slot_minutes": 15}
    )
    if not created:
        return
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in WEEKDAY_HOURS
    )
    for name, minutes, documents in SERVICES:
        service = Service.objects.create(name=name, duration_minutes=minutes, documents=documents)
        service.locations.add(location)
