"""OpenID Connect relying party per town, on Authlib's Django client.

Authlib keeps state, nonce and the PKCE verifier in the town's session,
refuses an answer whose state is unknown, sends the verifier (S256), and
checks the ID token's signature against the provider's JWKS (fetched again
when a new key ID appears: key rotation), its issuer, audience (our client
ID), expiry and nonce. We add: the discovery document must name the issuer
the town configured, and the login's ``acr`` must reach the town's level.

The discovery document and the JWKS are kept in the town's cache for an
hour, so a login does not fetch them again; an ID token signed under a key ID
the cached JWKS lacks makes Authlib fetch the JWKS once more before it refuses.
"""

import hashlib
import logging
from typing import Any

import requests
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from authlib.integrations.requests_client import OAuth2Session
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.platform.federation.models import EIDAS_LEVEL_URI, IdentityProvider, TrustLevel
from rathaus.platform.federation.outbound import (
    OutboundRedirectGuard,
    outbound_metadata_check,
    outbound_url_check,
)
from rathaus.platform.federation.registry import (
    Check,
    FederatedLogin,
    FederationError,
    Plugin,
    registry,
)
from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

logger = logging.getLogger(__name__)

CLIENT_NAME = "landeskonto"
ACR_FOR_LEVEL = EIDAS_LEVEL_URI
LEVEL_FOR_ACR = {acr: str(level) for level, acr in ACR_FOR_LEVEL.items()}
DISCOVERY_CACHE_SECONDS = 60 * 60
JWKS_CACHE_SECONDS = 60 * 60


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def redirect_uri(*, town: Municipality) -> str:
    """The town's own redirect URI, to register at the provider: one, on its primary host."""
    return town_url(town=town, path=reverse("federation:oidc-callback"))


def _cache_key(provider: IdentityProvider, part: str) -> str:
    # The default cache puts the current town's schema in front of every key
    # (django-tenants' make_key), so no town reads another town's entries; the
    # row and the issuer name the settings within the town.
    issuer = hashlib.sha256(provider.oidc_issuer.encode()).hexdigest()[:16]
    return f"federation:oidc:{provider.pk}:{issuer}:{part}"


def oidc_cache_forget(*, provider: IdentityProvider) -> None:
    """Drops the cached discovery document and keys of these settings (current town)."""
    cache.delete_many([_cache_key(provider, "discovery"), _cache_key(provider, "jwks")])


class TownOAuth2Session(OutboundRedirectGuard, OAuth2Session):
    """Authlib's session, refusing redirects into the vendor's network."""


class TownOidcClient(DjangoOAuth2App):
    """Authlib's Django client for one town's settings row, with a cache in front.

    Authlib fetches the discovery document in ``load_server_metadata`` and the
    keys in ``fetch_jwk_set`` (``force=True`` when an ID token names an unknown
    key ID); both go through the town's cache here. ``cached=False`` fetches
    afresh and stores nothing ("test connection", possibly on unsaved values).
    """

    client_cls = TownOAuth2Session

    def __init__(self, provider: IdentityProvider, *, cached: bool = True) -> None:
        super().__init__(
            DjangoIntegration(CLIENT_NAME),
            CLIENT_NAME,
            client_id=provider.oidc_client_id,
            client_secret=provider.oidc_client_secret,
            server_metadata_url=discovery_url(provider.oidc_issuer),
            client_kwargs={
                "scope": provider.oidc_scopes or "openid",
                "code_challenge_method": "S256",
                "timeout": 10,
            },
        )
        self.provider = provider
        self.cached = cached

    def load_server_metadata(self) -> dict[str, Any]:
        """The checked discovery document; raises ``FederationError`` saying what is wrong."""
        metadata: dict[str, Any] = self.server_metadata
        if "_loaded_at" in metadata:
            return metadata
        key = _cache_key(self.provider, "discovery")
        stored = cache.get(key) if self.cached else None
        if stored is not None:
            metadata.update(stored)
            return metadata
        issuer = self.provider.oidc_issuer
        outbound_url_check(discovery_url(issuer))
        try:
            super().load_server_metadata()
        except (requests.RequestException, ValueError) as exc:
            raise FederationError(_("Der Anbieter des Landeskontos ist nicht erreichbar.")) from exc
        outbound_metadata_check(metadata)
        if metadata.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
            raise FederationError(_("Der Anbieter nennt einen anderen Issuer als eingestellt."))
        if self.cached:
            cache.set(key, metadata, DISCOVERY_CACHE_SECONDS)
        return metadata

    def fetch_jwk_set(self, force: bool = False) -> dict[str, Any]:
        """The provider's keys; ``force`` (a key ID the set lacks) fetches them afresh."""
        if not force and "jwks" in self.server_metadata:
            jwks: dict[str, Any] = self.server_metadata["jwks"]
            return jwks
        key = _cache_key(self.provider, "jwks")
        stored = cache.get(key) if self.cached and not force else None
        if stored is not None:
            self.server_metadata["jwks"] = stored
            return stored
        jwk_set: dict[str, Any] = super().fetch_jwk_set(force=True)
        if self.cached:
            cache.set(key, jwk_set, JWKS_CACHE_SECONDS)
        return jwk_set


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
        client = TownOidcClient(provider)
        client.load_server_metadata()
        uri = redirect_uri(town=current_town())
        rv = client.create_authorization_url(
            uri, acr_values=ACR_FOR_LEVEL[TrustLevel(provider.trust_level)]
        )
        client.save_authorize_data(request, redirect_uri=uri, next_url=next_url, **rv)
        return HttpResponseRedirect(rv["url"])

    def complete_login(self, request: HttpRequest, provider: IdentityProvider) -> FederatedLogin:
        client = TownOidcClient(provider)
        state = request.GET.get("state", "")
        state_data = client.framework.get_state_data(request.session, state) if state else None
        if not state_data:
            raise FederationError(_("Die Anmeldung ist abgelaufen oder wurde nicht hier begonnen."))
        client.load_server_metadata()
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

    def settings_saved(self, provider: IdentityProvider) -> None:
        oidc_cache_forget(provider=provider)

    def check_connection(self, request: HttpRequest, provider: IdentityProvider) -> list[Check]:
        checks: list[Check] = []
        client = TownOidcClient(provider, cached=False)
        try:
            metadata = client.load_server_metadata()
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
                redirect_uri(town=current_town()),
            )
        )
        return checks
