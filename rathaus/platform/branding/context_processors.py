from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from rathaus.platform.branding.selectors import current_branding
from rathaus.tenants.current import current_town_or_none


def branding(request: HttpRequest) -> dict[str, Any]:
    """``branding`` of the request's town on every page (``None`` on the vendor's hosts)."""
    if current_town_or_none() is None:
        return {"branding": None}
    return {"branding": SimpleLazyObject(current_branding)}
