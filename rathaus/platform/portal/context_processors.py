from typing import Any

from django.http import HttpRequest


def town(request: HttpRequest) -> dict[str, Any]:
    """Makes the request's town (``None`` on the vendor's hosts) available to every template."""
    return {"town": getattr(request, "tenant", None)}
