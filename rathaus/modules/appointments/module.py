from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import AccountSection, Module, NavEntry, Role, modules
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality

from .serializers import AppointmentSettings

if TYPE_CHECKING:
    from rathaus.platform.catalogue.entries import NextFree, ServiceEntry


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
        NavEntry(_("Termin nach Buchungsnummer suchen"), "find", staff_only=True),
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

    personal_models = ("Booking",)
    exempt_models = {
        "Location": "a place of the town hall",
        "Service": "a service the town offers",
        "OpeningHours": "the opening hours of a location",
        "OpeningException": "a day a location is closed or open otherwise",
    }

    @classmethod
    def personal_data_export(cls, *, user: User) -> dict[str, Any]:
        from .personal_data import bookings_data_export

        return bookings_data_export(user=user)

    @classmethod
    def personal_data_erase(cls, *, user: User) -> None:
        from .personal_data import bookings_data_erase

        bookings_data_erase(user=user)

    @classmethod
    def account_sections(cls, *, user: User) -> list[AccountSection]:
        from .account import appointments_account_sections

        return appointments_account_sections(user=user)

    @classmethod
    def catalogue_entries(cls) -> list["ServiceEntry"]:
        from .catalogue import appointments_catalogue_entries

        return appointments_catalogue_entries()

    @classmethod
    def catalogue_next_free(cls, *, keys: Sequence[str]) -> dict[str, "NextFree"]:
        from .catalogue import appointments_next_free

        return appointments_next_free(keys=keys)

    @classmethod
    def demo_load(cls, *, town: Municipality, actor: Actor) -> None:
        from .demo import demo_load

        demo_load(town=town, actor=actor)

    audit_actions = {
        "appointments.cancel": _("Termine: Absagen durch die Verwaltung"),
        "appointments.no_show": _("Termine: nicht erschienen"),
        "appointments.config.": _("Termine: Standorte und Dienstleistungen"),
    }

    @classmethod
    def describe_audit_entry(
        cls, *, action: str, target: str, before: Any, after: Any, actor: str
    ) -> str | None:
        from .audit import appointments_audit_words

        return appointments_audit_words(
            action=action, target=target, before=before, after=after, actor=actor
        )

    @classmethod
    def switch_off_consequences(cls, *, town: Municipality) -> list[str]:
        from .audit import appointments_switch_off_consequences

        return appointments_switch_off_consequences(town=town)

    @classmethod
    def town_export(cls, *, town: Municipality) -> dict[str, list[dict[str, Any]]]:
        from .town_export import appointments_town_export

        return appointments_town_export()
