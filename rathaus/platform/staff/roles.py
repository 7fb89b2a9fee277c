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


def role_choices() -> list[RoleChoice]:
    """All grantable roles, town admin first, then each module's roles by module key."""
    choices = [RoleChoice(TOWN_ADMIN, _("Verwaltung der Kommune (alle Rechte)"), None)]
    for module in modules:
        for role in module.roles:
            label = f"{module.title}: {role.label}"
            choices.append(RoleChoice(f"{module.key}.{role.key}", label, module.key))
    return choices


def is_known_role(key: str) -> bool:
    return any(choice.key == key for choice in role_choices())
