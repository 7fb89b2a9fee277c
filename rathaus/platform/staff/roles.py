"""The roles a town can give its staff: town admin, plus every role a module defines."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import Text, modules
from rathaus.platform.staff.models import TOWN_ADMIN


@dataclass(frozen=True)
class RoleChoice:
    key: str
    label: Text
    module: str | None
    # The role's name alone ("Verwaltung der Kommune", "Termine: Sachbearbeitung").
    short_label: Text = ""
    description: Text = ""


def role_choices() -> list[RoleChoice]:
    """All grantable roles, town admin first, then each module's roles by module key."""
    choices = [
        RoleChoice(
            TOWN_ADMIN,
            _("Verwaltung der Kommune (alle Rechte)"),
            None,
            _("Verwaltung der Kommune"),
            _("Alle Rechte: Dienste, Team, Landeskonto, Erscheinungsbild, Protokoll."),
        )
    ]
    for module in modules:
        for role in module.roles:
            label = f"{module.title}: {role.label}"
            choices.append(
                RoleChoice(f"{module.key}.{role.key}", label, module.key, label, role.description)
            )
    return choices


def role_label(key: str) -> str:
    """A role's name as people read it ("Verwaltung der Kommune"); an unknown key as it is."""
    for choice in role_choices():
        if choice.key == key:
            return str(choice.short_label or choice.label)
    return key


def is_known_role(key: str) -> bool:
    return any(choice.key == key for choice in role_choices())
