"""What the demo towns show: every service switched on, with a little content to try."""

import datetime as dt

from django_tenants.utils import schema_context

from rathaus.modules.appointments.models import Location, OpeningHours, Service
from rathaus.modules.news.models import Topic
from rathaus.modules.news.services import topic_create
from rathaus.modules.registry import modules
from rathaus.modules.services import module_configure, modules_set_up_for_new_town
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

WEEKDAY_HOURS = [(day, dt.time(8), dt.time(18 if day == 3 else 16)) for day in range(5)]
TOPICS = ["Freibad", "Baustellen und Verkehr", "Abfall und Entsorgung"]


def demo_content_load(*, town: Municipality, actor: Actor) -> None:
    """Switches every module on for ``town`` and adds sample content, once (idempotent)."""
    modules_set_up_for_new_town(town=town, keys=modules.keys(), actor=actor)
    module_configure(
        town=town,
        key="contact",
        settings={
            "office": f"Bürgerbüro {town.name}",
            "phone": "+49 3935 93060",
            "email": f"buergerbuero@{town.slug}.localhost",
            "opening_hours": [
                {"weekday": day, "opens": f"{opens:%H:%M}", "closes": f"{closes:%H:%M}"}
                for day, opens, closes in WEEKDAY_HOURS
            ],
        },
        actor=actor,
    )
    with schema_context(town.schema_name):
        location, created = Location.objects.get_or_create(
            name="Bürgerbüro", defaults={"counters": 2, "slot_minutes": 15}
        )
        if created:
            OpeningHours.objects.bulk_create(
                OpeningHours(location=location, weekday=day, opens=opens, closes=closes)
                for day, opens, closes in WEEKDAY_HOURS
            )
            for name, minutes, documents in [
                ("Personalausweis beantragen", 30, "Altes Ausweisdokument\nBiometrisches Passfoto"),
                ("Meldebescheinigung", 15, "Personalausweis"),
            ]:
                service = Service.objects.create(
                    name=name, duration_minutes=minutes, documents=documents
                )
                service.locations.add(location)
        for name in TOPICS:
            if not Topic.objects.filter(name=name).exists():
                topic_create(town=town, name=name, actor=actor)
