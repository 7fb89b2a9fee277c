"""The town's OAuth 2.0 pages: consent (authorize), token, revoke, and "Verbundene Apps"."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from oauth2_provider.views import AuthorizationView
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.oauth2.rfc6749 import errors

from rathaus.platform.identity.models import User
from rathaus.platform.oauth import selectors, services
from rathaus.platform.oauth.scopes import scope_describe
from rathaus.tenants.current import current_town


def problem_text(error: Any) -> str:
    """What the person reads when an app's login request is refused here."""
    town = current_town().name
    if isinstance(
        error,
        errors.MismatchingRedirectURIError
        | errors.InvalidRedirectURIError
        | errors.MissingRedirectURIError,
    ):
        return _(
            "Die App hat eine Rücksprungadresse (redirect_uri) angegeben, die für sie bei "
            "%(town)s nicht eingetragen ist. Die Anmeldung ist abgebrochen; bitte wenden Sie "
            "sich an den Anbieter der App."
        ) % {"town": town}
    if isinstance(error, errors.InvalidClientIdError | errors.MissingClientIdError):
        return _(
            "Diese App ist bei %(town)s nicht eingetragen (unbekannte client_id). "
            "Vielleicht gehört sie zu einer anderen Kommune."
        ) % {"town": town}
    return _("Die Anmeldeanfrage der App ist fehlerhaft: %(why)s") % {
        "why": getattr(error, "description", "") or getattr(error, "error", "")
    }


class AuthorizeView(AuthorizationView):
    """Asks the logged-in person whether the app may act for them, naming each scope."""

    template_name = "oauth/authorize.html"

    def error_response(self, error: Any, application: Any, **kwargs: Any) -> HttpResponse:
        redirect_to, response = OAuthLibMixin.error_response(self, error, **kwargs)
        if redirect_to:
            return self.redirect(response["url"], application)
        oauth_error = response["error"]
        return self.render_to_response(
            {"error": oauth_error, "problem": problem_text(oauth_error)},
            status=oauth_error.status_code,
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scope_words"] = [scope_describe(s) for s in context.get("scopes", [])]
        return context


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind login_required, so never
        raise PermissionDenied
    return user


@login_required
def connected_apps(request: HttpRequest) -> HttpResponse:
    """The apps that may act for the person, with scopes and last use; revoke one."""
    user = _user(request)
    if request.method == "POST" and request.POST.get("revoke", "").isdigit():
        if services.app_connection_revoke(user=user, application_id=int(request.POST["revoke"])):
            messages.info(request, _("Die App hat keinen Zugriff mehr auf Ihr Konto."))
        return redirect("oauth:connected")
    connections = selectors.connected_apps(user=user)
    return render(
        request,
        "oauth/connected.html",
        {
            "connections": [
                (connection, [scope_describe(s) for s in connection.scopes])
                for connection in connections
            ]
        },
    )
