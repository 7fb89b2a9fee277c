"""Sample content of a demo town: the Bürgerbüro's contact details and hours."""

from rathaus.modules.services import module_configure
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

WEEKDAY_HOURS = [(day, "08:00", "18:00" if day == 3 else "16:00") for day in range(5)]


def demo_load(*, town: Municipality, actor: Actor) -> None:
    module_configure(
        town=town,
        key="contact",
        settings={
            "office": f"Bürgerbüro {town.name}",
            "phone": "+49 3935 93060",
            "email": f"buergerbuero@{town.slug}.localhost",
            "opening_hours": [
                {"weekday": day, "opens": opens, "closes": closes}
                for day, opens, closes in WEEKDAY_HOURS
            ],
        },
        actor=actor,
    )
