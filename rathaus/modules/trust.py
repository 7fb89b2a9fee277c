"""The per-view trust requirement: a service whose town requires an eIDAS level lets a
visitor in only with that level (or a higher one) and otherwise offers the state-account login.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from rathaus.modules.registry import modules
from rathaus.modules.selectors import module_required_trust_level
from rathaus.platform.federation.models import TrustLevel
from rathaus.platform.federation.selectors import federation_login_options
from rathaus.platform.federation.trust import session_trust_level, trust_sufficient
from rathaus.tenants.current import current_town_or_none
from rathaus.tenants.models import Municipality


def _module_of(request: HttpRequest) -> str | None:
    """The module whose citizen page or API the request resolved to (staff pages: None)."""
    match = getattr(request, "resolver_match", None)
    for namespace in getattr(match, "namespaces", []) or []:
        key = namespace.removeprefix("api-")
        if key in modules:
            return key
    return None


class TrustLevelMiddleware:
    """Keeps visitors without the required eIDAS level out of a service that needs one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        town = current_town_or_none()
        key = _module_of(request)
        if not isinstance(town, Municipality) or key is None:
            return None
        required = module_required_trust_level(town=town, key=key)
        if trust_sufficient(achieved=session_trust_level(request), required=required):
            return None
        message = _(
            "Für diesen Dienst melden Sie sich bitte mit Ihrem Landeskonto an "
            "(Vertrauensniveau „%(level)s“)."
        ) % {"level": TrustLevel(required).label}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "required_trust_level": required}, status=403)
        return render(
            request,
            "federation/trust_required.html",
            {
                "message": message,
                "options": federation_login_options(),
                "next": request.get_full_path(),
            },
            status=403,
        )
