from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from rathaus.modules.registry import Text
from rathaus.modules.selectors import active_modules
from rathaus.tenants.current import current_town_or_none
from rathaus.tenants.models import Municipality


@dataclass(frozen=True)
class ModuleLink:
    title: Text
    description: Text
    url: str


@dataclass(frozen=True)
class NavLink:
    label: Text
    url: str


def town_modules(request: HttpRequest) -> dict[str, Any]:
    """``town_services`` (home page cards) and ``town_nav`` (header links) of the active modules.

    Both are lazy, so pages that show neither cost no lookup.
    """
    town = current_town_or_none()

    def services() -> list[ModuleLink]:
        if not isinstance(town, Municipality):
            return []
        links = []
        for module in active_modules(town=town):
            entry = next((e for e in module.nav if not e.staff_only), None)
            if entry is not None:
                url = reverse(f"{entry.namespace(module.key)}:{entry.url_name}")
                links.append(ModuleLink(module.title, module.description, url))
        return links

    def nav() -> list[NavLink]:
        if not isinstance(town, Municipality):
            return []
        # Staff entries live on the back office's start page, not in the header.
        return [
            NavLink(entry.label, reverse(f"{entry.namespace(m.key)}:{entry.url_name}"))
            for m in active_modules(town=town)
            for entry in m.nav
            if not entry.staff_only
        ]

    return {"town_services": SimpleLazyObject(services), "town_nav": SimpleLazyObject(nav)}
