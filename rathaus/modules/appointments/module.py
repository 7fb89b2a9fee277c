from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import Module, NavEntry, Role, modules
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from .serializers import AppointmentSettings


@modules.register
class Appointments(Module):
    key = "appointments"
    title = _("Termine")
    description = _("Einen Termin im Rathaus buchen, verschieben oder absagen.")
    settings_serializer = AppointmentSettings
    citizen_urls = "rathaus.modules.appointments.urls"
    staff_urls = "rathaus.modules.appointments.staff_urls"
    api_urls = "rathaus.modules.appointments.api"
    nav = (
        NavEntry(_("Termine"), "index"),
        NavEntry(_("Terminverwaltung"), "index", staff_only=True),
    )
    roles = (
        Role(
            "clerk",
            _("Sachbearbeitung"),
            _("Termine sehen, Nichterscheinen vermerken, Standorte und Dienstleistungen pflegen."),
        ),
    )
    price = "module_appointments"
    periodic_tasks = {
        # All idempotent: an e-mail goes out once, an expired hold is freed once.
        "reminders": {
            "task": "appointments.send_reminders",
            "schedule": 15 * 60.0,
            "options": {"expires": 15 * 60},
        },
        "expire-holds": {
            "task": "appointments.expire_holds",
            "schedule": 5 * 60.0,
            "options": {"expires": 5 * 60},
        },
    }

    @classmethod
    def demo_load(cls, *, town: Municipality, actor: Actor) -> None:
        from .demo import demo_load

        demo_load(town=town, actor=actor)
