"""The API's bearer tokens: an access token of this town's OAuth 2.0 server."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from oauth2_provider.contrib.rest_framework import OAuth2Authentication
from rest_framework.exceptions import AuthenticationFailed, PermissionDenied
from rest_framework.request import Request

from rathaus.platform.oauth.selectors import view_capability
from rathaus.platform.oauth.services import token_mark_used

TOKEN_REFUSED = _(
    "Das Zugangs-Token ist ungültig, abgelaufen oder widerrufen. "
    "Bitte melden Sie sich in der App neu an."
)
NOT_FOR_APPS = _("Diese Schnittstelle ist nicht für Apps freigegeben.")


class AppTokenAuthentication(OAuth2Authentication):
    """``Authorization: Bearer <token>`` for the API views that declare an ``oauth_scope``.

    No such header: not this class's business (the session may authenticate).
    A token that this town's server did not issue, or that expired or was revoked,
    is 401, on every view, so an app learns at once that it must log in again;
    a view without ``oauth_scope`` (the staff API) is 403 for any token.
    """

    www_authenticate_realm = "rathaus"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header[:7].lower() != "bearer ":
            return None
        if view_capability(_view(request)) is None:
            raise PermissionDenied(NOT_FOR_APPS)
        found = super().authenticate(request)
        if found is None or not found[0].is_active:
            raise AuthenticationFailed(TOKEN_REFUSED)
        token_mark_used(token=found[1])
        return found

    def authenticate_header(self, request: Request) -> str | None:
        # Only where a token would help: elsewhere (the staff API) 403, as before apps.
        if view_capability(_view(request)) is None:
            return None
        return str(super().authenticate_header(request))


def _view(request: Request) -> Any:
    return (getattr(request, "parser_context", None) or {}).get("view")
