from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from rathaus.modules.registry import Text
from rathaus.modules.selectors import active_modules
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
    town = getattr(request, "tenant", None)
    is_staff = bool(getattr(getattr(request, "user", None), "is_staff", False))

    def services() -> list[ModuleLink]:
        if not isinstance(town, Municipality):
            return []
        return [
            ModuleLink(m.title, m.description, reverse(f"{m.key}:{m.nav[0].url_name}"))
            for m in active_modules(town=town)
            if m.nav and m.citizen_urls
        ]

    def nav() -> list[NavLink]:
        if not isinstance(town, Municipality):
            return []
        return [
            NavLink(entry.label, reverse(f"{m.key}:{entry.url_name}"))
            for m in active_modules(town=town)
            for entry in m.nav
            if is_staff or not entry.staff_only
        ]

    return {"town_services": SimpleLazyObject(services), "town_nav": SimpleLazyObject(nav)}
