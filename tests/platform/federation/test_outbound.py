"""A town's state-account settings can never make the server fetch from the vendor's own network."""

import pytest
from django.test import override_settings

from rathaus.platform.federation.outbound import outbound_metadata_check, outbound_url_check
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
