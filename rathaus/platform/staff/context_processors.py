from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from rathaus.platform.staff.menu import StaffPage, staff_notices, staff_pages
from rathaus.platform.staff.selectors import roles_of
from rathaus.tenants.current import current_town_or_none


@dataclass(frozen=True)
class NavLink:
    label: Any
    url: str
    current: bool


def _nav(request: HttpRequest, pages: list[StaffPage]) -> list[NavLink]:
    """The back office's sub-navigation: the start page, then every page the person may open;
    the page whose address is the longest start of the current one is marked current."""
    if not pages:
        return []
    home = reverse("staff:dashboard")
    links = [(str(_("Übersicht")), home), *((page.label, page.url) for page in pages)]
    path = request.path
    matches = [url for _label, url in links if url != home and path.startswith(url)]
    current = max(matches, key=len) if matches else (home if path == home else "")
    return [NavLink(label, url, url == current) for label, url in links]


def staff_menu(request: HttpRequest) -> dict[str, Any]:
    """``staff_pages``: the back-office pages the visitor may open (lazy; empty for citizens);
    ``staff_nav``: the same as the sub-navigation, with the current page marked;
    ``staff_notices``: what the layers above have to say to staff (billing's dunning)."""

    def pages() -> list[Any]:
        if current_town_or_none() is None or not roles_of(user=request.user):
            return []
        return staff_pages(request)

    def notices() -> list[Any]:
        if current_town_or_none() is None or not roles_of(user=request.user):
            return []
        return staff_notices(request)

    lazy_pages = SimpleLazyObject(pages)
    return {
        "staff_notices": SimpleLazyObject(notices),
        "staff_pages": lazy_pages,
        "staff_nav": SimpleLazyObject(lambda: _nav(request, list(lazy_pages))),
    }
