"""OpenID Connect relying party per town, on Authlib's Django client.

Authlib keeps state, nonce and the PKCE verifier in the town's session,
refuses an answer whose state is unknown, sends the verifier (S256), and
checks the ID token's signature against the provider's JWKS (fetched again
when a new key ID appears: key rotation), its issuer, audience (our client
ID), expiry and nonce. We add: the discovery document must name the issuer
the town configured, and the login's ``acr`` must reach the town's level.
"""

import logging
from typing import Any

import requests
from authlib.integrations.django_client import OAuth
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.platform.federation.models import EIDAS_LEVEL_URI, IdentityProvider, TrustLevel
from rathaus.platform.federation.outbound import outbound_metadata_check, outbound_url_check
from rathaus.platform.federation.registry import (
    Check,
    FederatedLogin,
    FederationError,
    Plugin,
    registry,
    request_town,
)
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

logger = logging.getLogger(__name__)

CLIENT_NAME = "landeskonto"
ACR_FOR_LEVEL = EIDAS_LEVEL_URI
LEVEL_FOR_ACR = {acr: str(level) for level, acr in ACR_FOR_LEVEL.items()}


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def redirect_uri(*, town: Municipality) -> str:
    """The town's own redirect URI, to register at the provider: one, on its primary host."""
    return town_url(town=town, path=reverse("federation:oidc-callback"))


def _client(provider: IdentityProvider) -> Any:
    # A fresh registry per request: the settings are the town's row, not Django settings.
    oauth = OAuth()
    return oauth.register(
        name=CLIENT_NAME,
        client_id=provider.oidc_client_id,
        client_secret=provider.oidc_client_secret,
        server_metadata_url=discovery_url(provider.oidc_issuer),
        client_kwargs={
            "scope": provider.oidc_scopes or "openid",
            "code_challenge_method": "S256",
            "timeout": 10,
        },
    )


def _metadata(client: Any, provider: IdentityProvider) -> dict[str, Any]:
    outbound_url_check(discovery_url(provider.oidc_issuer))
    try:
        metadata: dict[str, Any] = client.load_server_metadata()
    except (requests.RequestException, ValueError) as exc:
        raise FederationError(_("Der Anbieter des Landeskontos ist nicht erreichbar.")) from exc
    outbound_metadata_check(metadata)
    if metadata.get("issuer", "").rstrip("/") != provider.oidc_issuer.rstrip("/"):
        raise FederationError(_("Der Anbieter nennt einen anderen Issuer als eingestellt."))
    return metadata


@registry.register("oidc")
class OidcPlugin(Plugin):
    title = "OpenID Connect"
    default_mapping = {
        "email": "email",
        "first_name": "given_name",
        "last_name": "family_name",
        "birth_date": "birthdate",
        "street": "address.street_address",
        "postal_code": "address.postal_code",
        "city": "address.locality",
    }
    default_attributes = ["email", "given_name", "family_name", "birthdate", "address"]

    def start_login(
        self, request: HttpRequest, provider: IdentityProvider, *, next_url: str
    ) -> HttpResponse:
        client = _client(provider)
        _metadata(client, provider)
        uri = redirect_uri(town=request_town(request))
        rv = client.create_authorization_url(
            uri, acr_values=ACR_FOR_LEVEL[TrustLevel(provider.trust_level)]
        )
        client.save_authorize_data(request, redirect_uri=uri, next_url=next_url, **rv)
        return HttpResponseRedirect(rv["url"])

    def complete_login(self, request: HttpRequest, provider: IdentityProvider) -> FederatedLogin:
        client = _client(provider)
        state = request.GET.get("state", "")
        state_data = client.framework.get_state_data(request.session, state) if state else None
        if not state_data:
            raise FederationError(_("Die Anmeldung ist abgelaufen oder wurde nicht hier begonnen."))
        _metadata(client, provider)
        try:
            token = client.authorize_access_token(request)
        except Exception as exc:  # Authlib and joserfc raise many kinds; each means "refuse"
            logger.warning("OIDC answer refused: %r", exc)
            raise FederationError(_("Die Antwort des Landeskontos ist ungültig.")) from exc
        claims = token.get("userinfo")
        if not claims or not claims.get("sub"):
            raise FederationError(_("Die Antwort des Landeskontos ist ungültig."))
        attributes = dict(claims)
        if client.server_metadata.get("userinfo_endpoint"):
            try:
                info = client.userinfo(token=token)
            except requests.RequestException as exc:
                raise FederationError(
                    _("Der Anbieter des Landeskontos ist nicht erreichbar.")
                ) from exc
            if info.get("sub") != claims["sub"]:  # OIDC Core 5.3.2
                raise FederationError(_("Die Antwort des Landeskontos ist ungültig."))
            attributes.update(info)
        return FederatedLogin(
            subject=str(claims["sub"]),
            attributes=attributes,
            trust_level=LEVEL_FOR_ACR.get(str(claims.get("acr", "")), ""),
            next_url=str(state_data.get("next_url", "")),
        )

    def check_connection(self, request: HttpRequest, provider: IdentityProvider) -> list[Check]:
        checks: list[Check] = []
        client = _client(provider)
        try:
            metadata = _metadata(client, provider)
        except FederationError as exc:
            return [Check(False, _("Discovery-Dokument"), str(exc))]
        checks.append(Check(True, _("Discovery-Dokument"), discovery_url(provider.oidc_issuer)))
        for key in ["authorization_endpoint", "token_endpoint", "jwks_uri"]:
            checks.append(Check(bool(metadata.get(key)), key, str(metadata.get(key, ""))))
        methods = metadata.get("code_challenge_methods_supported") or []
        checks.append(Check("S256" in methods, _("PKCE (S256)"), ", ".join(methods)))
        try:
            keys = client.fetch_jwk_set(force=True).get("keys", [])
            checks.append(Check(bool(keys), _("Schlüssel (JWKS)"), f"{len(keys)}"))
        except (requests.RequestException, RuntimeError, ValueError) as exc:
            checks.append(Check(False, _("Schlüssel (JWKS)"), str(exc)))
        checks.append(Check(bool(provider.oidc_client_id), _("Client-ID"), provider.oidc_client_id))
        checks.append(Check(bool(provider.oidc_client_secret), _("Client-Secret hinterlegt")))
        checks.append(
            Check(
                True,
                _("Redirect-URI zum Eintragen beim Anbieter"),
                redirect_uri(town=request_town(request)),
            )
        )
        return checks
