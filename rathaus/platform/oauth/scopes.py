"""The scopes an app can ask for: one per capability, read or write where it matters."""

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes
from rest_framework.permissions import SAFE_METHODS

# What the consent page and "Verbundene Apps" say a scope allows, in plain words.
SCOPES: dict[str, Promise] = {
    "appointments:read": _("Ihre gebuchten Termine sehen"),
    "appointments:write": _("Termine für Sie buchen, verschieben und absagen"),
    "news:read": _("Sehen, welche Nachrichten-Themen Sie erhalten"),
    "news:write": _("Ihre Nachrichten-Themen ändern"),
    "applications:read": _("Ihre Online-Anträge und ihren Stand sehen"),
    "applications:write": _("Online-Anträge für Sie stellen"),
    "mailbox:read": _("Nachrichten und Bescheide in Ihrem Postfach lesen"),
    "mailbox:write": _(
        "Auf Nachrichten in Ihrem Postfach antworten und Ihre Zustimmung zur "
        "elektronischen Zustellung ändern"
    ),
    "payments:read": _("Ihre Zahlungen, ihren Stand und ihre Quittungen sehen"),
}
# The ``oauth_scope`` of a public API view: any token of the town may call it, with no scope.
OPEN_TO_APPS = "public"
# An app that asks for no scope gets these.
DEFAULT_SCOPES = ["appointments:read"]


def scope_describe(scope: str) -> str:
    """The plain words for ``scope`` (the scope itself where it is unknown)."""
    return str(SCOPES.get(scope, scope))


def scope_needed(*, capability: str, method: str) -> str:
    """The scope a request of ``method`` needs on an API view of ``capability``.

    Reading (GET, HEAD, OPTIONS) needs ``<capability>:read``, anything else
    ``<capability>:write``; a capability without a write scope allows no writes.
    """
    return f"{capability}:{'read' if method in SAFE_METHODS else 'write'}"


class AppScopes(BaseScopes):
    """django-oauth-toolkit's scopes backend: the capabilities above, for every app."""

    def get_all_scopes(self) -> dict[str, Promise]:
        return SCOPES

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return list(SCOPES)

    def get_default_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return list(DEFAULT_SCOPES)
