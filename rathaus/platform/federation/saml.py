"""SAML 2.0 service provider per town, on pysaml2 (signatures checked by xmlsec1).

pysaml2 checks the signature of the assertion against the IdP's metadata,
the audience (our entity ID), the destination (our ACS URL), InResponseTo
(against the requests this browser session started) and the validity times
(with ``FEDERATION_CLOCK_SKEW``). On top, each assertion ID is accepted once
per town (replay), and the request ID is dropped from the session once used.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, AuthnContextClassRef
from saml2.samlp import RequestedAuthnContext
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from rathaus.platform.federation.keys import keyfiles
from rathaus.platform.federation.models import EIDAS_LEVEL_URI, IdentityProvider, TrustLevel
from rathaus.platform.federation.outbound import outbound_get
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

SESSION_KEY = "federation_saml_outstanding"
EIDAS_LOA = EIDAS_LEVEL_URI
# AuthnContextClassRef values of German state accounts (BundID uses STORK levels).
LOA_FROM_CONTEXT = {
    **{uri: str(level) for level, uri in EIDAS_LOA.items()},
    "STORK-QAA-Level-1": TrustLevel.LOW,
    "STORK-QAA-Level-2": TrustLevel.LOW,
    "STORK-QAA-Level-3": TrustLevel.SUBSTANTIAL,
    "STORK-QAA-Level-4": TrustLevel.HIGH,
}


def sp_entity_id(*, town: Municipality) -> str:
    """The town's SP entity ID (also its metadata URL), on its primary host.

    One per town, whichever of its hosts serves the request: the IdP registers
    it once, and a town with a custom domain keeps the same identity.
    """
    return town_url(town=town, path=reverse("federation:saml-metadata"))


def sp_acs_url(*, town: Municipality) -> str:
    return town_url(town=town, path=reverse("federation:saml-acs"))


def _config(
    town: Municipality, provider: IdentityProvider, keys: tuple[str, str] | None
) -> SPConfig:
    conf: dict[str, Any] = {
        "entityid": sp_entity_id(town=town),
        "xmlsec_binary": settings.XMLSEC_BINARY,
        "accepted_time_diff": settings.FEDERATION_CLOCK_SKEW,
        "allow_unknown_attributes": True,
        "service": {
            "sp": {
                "name": str(town),
                "endpoints": {
                    "assertion_consumer_service": [(sp_acs_url(town=town), BINDING_HTTP_POST)]
                },
                "allow_unsolicited": False,
                "authn_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "name_id_format": NAMEID_FORMAT_PERSISTENT,
                "requested_attributes": [
                    {"name": name, "required": False} for name in provider.requested_attributes
                ],
            }
        },
    }
    if keys is not None:
        key_path, cert_path = keys
        conf["key_file"], conf["cert_file"] = key_path, cert_path
        conf["encryption_keypairs"] = [{"key_file": key_path, "cert_file": cert_path}]
    if provider.saml_metadata_xml:
        conf["metadata"] = {"inline": [provider.saml_metadata_xml]}
    config = SPConfig()
    config.load(conf)
    return config


@contextmanager
def _saml_client(town: Municipality, provider: IdentityProvider) -> Iterator[Saml2Client]:
    """The town's SAML client, built from its settings row; use it inside the block only.

    The SP key exists as a file for the block's duration (``keyfiles``). Settings
    not saved yet have no key: such a client reads the IdP's metadata but cannot
    sign or decrypt.
    """
    if not provider.sp_private_key:
        yield Saml2Client(config=_config(town, provider, None))
        return
    with keyfiles(key_pem=provider.sp_private_key, cert_pem=provider.sp_certificate) as keys:
        yield Saml2Client(config=_config(town, provider, keys))


def sp_metadata_xml(*, town: Municipality, provider: IdentityProvider) -> str:
    """The town's own SP metadata: entity ID, ACS URL, signing/encryption certificate."""
    with _saml_client(town, provider) as client:
        return str(entity_descriptor(client.config))


def saml_metadata_fetch(*, provider: IdentityProvider) -> str:
    """Downloads the IdP metadata from ``saml_metadata_url`` into the row (not saved)."""
    response = outbound_get(provider.saml_metadata_url, timeout=10)
    response.raise_for_status()
    provider.saml_metadata_xml = response.text
    return provider.saml_metadata_xml


def _idp_entity_id(client: Saml2Client) -> str:
    idps = list(client.metadata.identity_providers())
    if len(idps) != 1:
        raise FederationError(_("Die Metadaten nennen keinen eindeutigen Identity Provider."))
    return str(idps[0])


@registry.register("saml")
class SamlPlugin(Plugin):
    title = "SAML 2.0"
    default_mapping = {
        "email": "mail",
        "first_name": "givenName",
        "last_name": "sn",
        "birth_date": "schacDateOfBirth",
        "street": "street",
        "postal_code": "postalCode",
        "city": "l",
    }
    default_attributes = [
        "mail",
        "givenName",
        "sn",
        "schacDateOfBirth",
        "street",
        "postalCode",
        "l",
    ]

    def start_login(
        self, request: HttpRequest, provider: IdentityProvider, *, next_url: str
    ) -> HttpResponse:
        with _saml_client(current_town(), provider) as client:
            request_id, info = client.prepare_for_authenticate(
                entityid=_idp_entity_id(client),
                binding=BINDING_HTTP_REDIRECT,
                sign=True,
                sigalg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
                requested_authn_context=RequestedAuthnContext(
                    authn_context_class_ref=[
                        AuthnContextClassRef(text=EIDAS_LOA[TrustLevel(provider.trust_level)])
                    ],
                    comparison="minimum",
                ),
            )
        outstanding = request.session.get(SESSION_KEY, {})
        outstanding[request_id] = next_url
        request.session[SESSION_KEY] = outstanding
        location = dict(info["headers"])["Location"]
        return HttpResponseRedirect(location)

    def complete_login(self, request: HttpRequest, provider: IdentityProvider) -> FederatedLogin:
        raw = request.POST.get("SAMLResponse", "")
        if not raw:
            raise FederationError(_("Die Antwort des Landeskontos fehlt."))
        outstanding: dict[str, str] = request.session.get(SESSION_KEY, {})
        with _saml_client(current_town(), provider) as client:
            try:
                response = client.parse_authn_request_response(
                    raw, BINDING_HTTP_POST, outstanding=outstanding
                )
            except Exception as exc:  # pysaml2 raises many kinds; every one means "refuse"
                logger.warning("SAML response refused: %r", exc)
                raise FederationError(_("Die Antwort des Landeskontos ist ungültig.")) from exc
        if response is None or response.in_response_to not in outstanding:
            raise FederationError(_("Die Antwort des Landeskontos ist ungültig."))
        next_url = outstanding.pop(response.in_response_to)
        request.session[SESSION_KEY] = outstanding
        assertion = response.assertion
        # An assertion is valid for minutes; remember its ID for longer than that.
        if not cache.add(f"federation:saml:assertion:{assertion.id}", 1, timeout=24 * 3600):
            raise FederationError(_("Diese Antwort wurde schon verwendet."))
        contexts = [info[0] for info in response.authn_info()]
        levels = [LOA_FROM_CONTEXT[c] for c in contexts if c in LOA_FROM_CONTEXT]
        return FederatedLogin(
            subject=response.name_id.text,
            attributes=dict(response.ava),
            trust_level=str(levels[0]) if levels else "",
            next_url=next_url,
        )

    def check_connection(self, request: HttpRequest, provider: IdentityProvider) -> list[Check]:
        checks: list[Check] = []
        if provider.saml_metadata_url:
            try:
                saml_metadata_fetch(provider=provider)
                checks.append(
                    Check(True, _("Metadaten des IdP geladen"), provider.saml_metadata_url)
                )
            except (requests.RequestException, FederationError) as exc:
                checks.append(Check(False, _("Metadaten des IdP nicht erreichbar"), str(exc)))
        if not provider.saml_metadata_xml:
            return [*checks, Check(False, _("Keine Metadaten des IdP hinterlegt"))]
        try:
            with _saml_client(current_town(), provider) as client:
                entity = _idp_entity_id(client)
                sso = client.metadata.single_sign_on_service(entity, BINDING_HTTP_REDIRECT)
                certs = client.metadata.certs(entity, "idpsso", use="signing")
        except Exception as exc:  # broken XML, unknown elements, ...
            return [*checks, Check(False, _("Metadaten des IdP unlesbar"), str(exc))]
        checks.append(Check(True, _("Identity Provider"), entity))
        checks.append(
            Check(bool(sso), _("Anmeldeadresse (HTTP-Redirect)"), sso[0]["location"] if sso else "")
        )
        checks.append(Check(bool(certs), _("Signaturzertifikat des IdP"), f"{len(certs)}"))
        if sso:
            try:
                answer = outbound_get(sso[0]["location"], timeout=10)
                checks.append(
                    Check(
                        answer.status_code < 500,
                        _("Anmeldeadresse antwortet"),
                        f"HTTP {answer.status_code}",
                    )
                )
            except (requests.RequestException, FederationError) as exc:
                checks.append(Check(False, _("Anmeldeadresse antwortet"), str(exc)))
        checks.append(
            Check(
                bool(provider.sp_private_key),
                _("Eigener SP-Schlüssel"),
                sp_entity_id(town=current_town()),
            )
        )
        return checks
