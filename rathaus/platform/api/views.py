"""Error pages of the API: a path under ``/api/`` gets the JSON error body, never HTML.

Django answers 404 for a path that matches no route before any API view runs (a
malformed id in the path, say), and 500 when a view fails; a client of the API reads
JSON either way. Every other path keeps the site's HTML pages. Both URLconfs (town
hosts and vendor hosts) name these as ``handler404`` and ``handler500``.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {"code": "not_found", "detail": _("Das gibt es hier nicht.")}, status=404
        )
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        detail = _("Ein Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.")
        return JsonResponse({"code": "server_error", "detail": detail}, status=500)
    return defaults.server_error(request)
