"""A town's state-account settings can never make the server fetch from the vendor's own network."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.test import override_settings

from rathaus.platform.federation.oidc import TownOAuth2Session
from rathaus.platform.federation.outbound import (
    OutboundSession,
    outbound_metadata_check,
    outbound_url_check,
)
from rathaus.platform.federation.registry import FederationError


@override_settings(FEDERATION_ALLOW_PRIVATE_NETWORKS=False)
@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://idp.example.org/metadata", "Nur https"),
        ("https://169.254.169.254/latest/meta-data/", "internes Netz"),
        ("https://127.0.0.1:8443/.well-known/openid-configuration", "internes Netz"),
        ("https://10.0.0.7/saml/metadata", "internes Netz"),
        ("https://[::1]/metadata", "internes Netz"),
        ("https:///metadata", "keinen Server"),
    ],
)
def test_internal_or_plain_http_addresses_are_refused(url: str, reason: str) -> None:
    with pytest.raises(FederationError, match=reason):
        outbound_url_check(url)


@override_settings(FEDERATION_ALLOW_PRIVATE_NETWORKS=False)
def test_a_public_address_is_allowed() -> None:
    assert outbound_url_check("https://8.8.8.8/metadata") == "https://8.8.8.8/metadata"


@override_settings(FEDERATION_ALLOW_PRIVATE_NETWORKS=False)
def test_a_providers_discovery_document_cannot_point_the_keys_inside() -> None:
    with pytest.raises(FederationError, match="internes Netz"):
        outbound_metadata_check(
            {
                "issuer": "https://8.8.8.8",
                "token_endpoint": "https://8.8.8.8/token",
                "jwks_uri": "https://169.254.169.254/keys",
            }
        )


class _Redirecting(BaseHTTPRequestHandler):
    """A provider's server that answers every request with a redirect into the
    cloud's metadata service, as a hostile or hijacked provider would."""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", "https://169.254.169.254/latest/meta-data/")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def redirecting_server() -> Iterator[str]:
    server = HTTPServer(("127.0.0.1", 0), _Redirecting)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/metadata"
    server.shutdown()


@override_settings(FEDERATION_ALLOW_PRIVATE_NETWORKS=False)
def test_a_redirect_into_the_internal_network_is_refused(redirecting_server: str) -> None:
    # The first address counts as checked (a public one in production); the session
    # checks where the answer sends it before following.
    with OutboundSession() as session, pytest.raises(FederationError, match="internes Netz"):
        session.get(redirecting_server, timeout=5)


@override_settings(FEDERATION_ALLOW_PRIVATE_NETWORKS=False)
def test_the_state_account_client_refuses_such_a_redirect_too(redirecting_server: str) -> None:
    with TownOAuth2Session() as session, pytest.raises(FederationError, match="internes Netz"):
        session.get(redirecting_server, timeout=5, withhold_token=True)
