"""The API views' scope check (django-oauth-toolkit's TokenHasScope, for our capabilities)."""

from typing import Any

from django.utils.translation import gettext as _
from oauth2_provider.models import AbstractAccessToken
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from rathaus.platform.oauth.scopes import OPEN_TO_APPS, scope_describe, scope_needed
from rathaus.platform.oauth.selectors import view_capability


class AppScope(BasePermission):
    """A token must carry the scope the view's ``oauth_scope`` needs for the method.

    Requests without a token (a browser session, or anonymous where the view allows
    it) pass: for them the view's other permissions decide.
    """

    message: Any = None

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, AbstractAccessToken):
            return True
        capability = view_capability(view)
        if capability is None:
            return False
        if capability == OPEN_TO_APPS:
            return True
        needed = scope_needed(capability=capability, method=request.method or "GET")
        if token.allow_scopes([needed]):
            return True
        self.message = _(
            "Diese App hat dafür keine Erlaubnis (Berechtigung „%(scope)s“: %(words)s)."
        ) % {"scope": needed, "words": scope_describe(needed)}
        return False
