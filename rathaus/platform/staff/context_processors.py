from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from rathaus.platform.staff.menu import staff_pages
from rathaus.platform.staff.selectors import roles_of
from rathaus.tenants.current import current_town_or_none


def staff_menu(request: HttpRequest) -> dict[str, Any]:
    """``staff_pages``: the back-office pages the visitor may open (lazy; empty for citizens)."""

    def pages() -> list[Any]:
        if current_town_or_none() is None or not roles_of(user=request.user):
            return []
        return staff_pages(request)

    return {"staff_pages": SimpleLazyObject(pages)}
