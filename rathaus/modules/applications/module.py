from typing import TYPE_CHECKING, Any

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import AccountSection, Module, NavEntry, Role, modules
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality

if TYPE_CHECKING:
    from rathaus.platform.catalogue.entries import ServiceEntry


@modules.register
class Applications(Module):
    key = "applications"
    title = _("Online-Anträge")
    description = _(
        "Anträge online stellen, zum Beispiel einen Hund anmelden; "
        "die Verwaltung bearbeitet sie im Posteingang."
    )
    citizen_urls = "rathaus.modules.applications.urls"
    staff_urls = "rathaus.modules.applications.staff_urls"
    api_urls = "rathaus.modules.applications.api"
    nav = (
        NavEntry(_("Online-Anträge"), "index"),
        NavEntry(_("Anträge bearbeiten"), "index", staff_only=True),
        NavEntry(_("Formulare verwalten"), "forms", staff_only=True),
    )
    roles = (
        Role(
            "clerk",
            _("Sachbearbeitung Anträge"),
            _(
                "Eingegangene Anträge sehen und bearbeiten, "
                "Formulare hochladen und veröffentlichen."
            ),
        ),
    )
    price = "module_applications"
    periodic_tasks = {
        # Drafts and applications kept past their form's retention are removed or
        # anonymised, and audited (``retention.py``).
        "retention": {
            "task": "applications.retention",
            "schedule": crontab(hour=3, minute=10),
            "options": {"expires": 3600},
        },
    }
    # A form's fee is paid through the platform's payments port (``fees.py``).
    payment_listener = "rathaus.modules.applications.fees.ApplicationFees"

    personal_models = ("Submission", "Draft", "CaseEvent")
    exempt_models = {
        "Form": "a service the town offers online",
        "FormVersion": "the definition of a form (fields and texts)",
        "CaseCounter": "the last case number of a year",
    }

    @classmethod
    def personal_data_export(cls, *, user: User) -> dict[str, Any]:
        from .personal_data import applications_data_export

        return applications_data_export(user=user)

    @classmethod
    def personal_data_erase(cls, *, user: User) -> None:
        from .personal_data import applications_data_erase

        applications_data_erase(user=user)

    @classmethod
    def account_sections(cls, *, user: User) -> list[AccountSection]:
        from .account import applications_account_sections

        return applications_account_sections(user=user)

    @classmethod
    def catalogue_entries(cls) -> list["ServiceEntry"]:
        from .catalogue import applications_catalogue_entries

        return applications_catalogue_entries()

    @classmethod
    def demo_load(cls, *, town: Municipality, actor: Actor) -> None:
        from .demo import demo_load

        demo_load(town=town, actor=actor)

    audit_actions = {
        "applications.form.": _("Online-Anträge: Formulare"),
        "applications.case.": _("Online-Anträge: Bearbeitung"),
    }

    @classmethod
    def describe_audit_entry(
        cls, *, action: str, target: str, before: Any, after: Any, actor: str
    ) -> str | None:
        from .audit import applications_audit_words

        return applications_audit_words(
            action=action, target=target, before=before, after=after, actor=actor
        )

    @classmethod
    def switch_off_consequences(cls, *, town: Municipality) -> list[str]:
        from .audit import applications_switch_off_consequences

        return applications_switch_off_consequences()

    @classmethod
    def town_export(cls, *, town: Municipality) -> dict[str, list[dict[str, Any]]]:
        from .town_export import applications_town_export

        return applications_town_export()
