from typing import Any

from django.http import HttpRequest

from rathaus.tenants.current import current_town_or_none


def town(request: HttpRequest) -> dict[str, Any]:
    """Makes the request's town (``None`` on the vendor's hosts) available to every template."""
    return {"town": current_town_or_none()}
