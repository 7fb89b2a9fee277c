"""Login with the state account over OpenID Connect, against a real Authlib provider."""

from collections.abc import Iterator
from urllib.parse import quote

import pytest
import requests
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.federation.models import FederatedIdentity, IdentityProvider
from rathaus.platform.federation.services import provider_save
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import domain_add
from tests.conftest import host_client
from tests.platform.federation.helpers import oidc_configure, oidc_provider_answer


@pytest.fixture
def oidc_a(town_a: Municipality, oidc_provider: str) -> Iterator[None]:
    oidc_configure(town=town_a, issuer=oidc_provider, client_id="tangerhuette")
    yield
    requests.post(f"{oidc_provider}/_test/tamper", json={}, timeout=10)


def _users(town: Municipality) -> int:
    with tenant_context(town):
        return User.objects.count()


@pytest.mark.usefixtures("oidc_a")
def test_first_login_creates_an_account_with_verified_claims(
    client_a: Client, town_a: Municipality
) -> None:
    callback = oidc_provider_answer(client_a)

    response = client_a.get(callback)

    assert response.status_code == 302
    assert "Musterfrau" in client_a.get("/accounts/").content.decode()
    with tenant_context(town_a):
        user = User.objects.get(email="erika.musterfrau@example.org")
        assert user.street == "Lindenstraße 1"
        assert user.city == "Tangerhütte"
        assert {"first_name", "last_name", "birth_date", "street", "email"} <= set(
            user.verified_fields
        )
        assert FederatedIdentity.objects.get(user=user).trust_level == "substantial"


@pytest.mark.usefixtures("oidc_a")
def test_the_second_login_finds_the_same_account(client_a: Client, town_a: Municipality) -> None:
    client_a.get(oidc_provider_answer(client_a))
    client_a.post("/accounts/logout/")

    client_a.get(oidc_provider_answer(client_a))

    assert _users(town_a) == 1
    assert "_auth_user_id" in client_a.session


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/accounts/members/", "/accounts/members/"), ("https://evil.example/", "/accounts/")],
)
@pytest.mark.usefixtures("oidc_a")
def test_after_the_login_only_a_next_address_on_this_site_is_followed(
    client_a: Client, next_url: str, lands_on: str
) -> None:
    callback = oidc_provider_answer(client_a, query=f"?next={quote(next_url)}")

    response = client_a.get(callback)

    assert response.status_code == 302
    assert response["Location"] == lands_on


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param({"nonce": "a-nonce-from-another-login"}, id="wrong-nonce"),
        pytest.param({"aud": "another-client"}, id="wrong-audience"),
        pytest.param({"forge": "1"}, id="forged-signature"),
    ],
)
@pytest.mark.usefixtures("oidc_a")
def test_a_tampered_id_token_is_refused(
    client_a: Client, town_a: Municipality, oidc_provider: str, tamper: dict[str, str]
) -> None:
    callback = oidc_provider_answer(client_a)
    requests.post(f"{oidc_provider}/_test/tamper", json=tamper, timeout=10).raise_for_status()

    response = client_a.get(callback)

    assert response.status_code == 403
    assert _users(town_a) == 0
    assert "_auth_user_id" not in client_a.session


@pytest.mark.usefixtures("oidc_a")
def test_a_replayed_callback_is_refused(client_a: Client, town_a: Municipality) -> None:
    callback = oidc_provider_answer(client_a)
    assert client_a.get(callback).status_code == 302
    client_a.post("/accounts/logout/")

    assert client_a.get(callback).status_code == 403
    assert "_auth_user_id" not in client_a.session


def _fetches(issuer: str) -> tuple[int, int]:
    """How often the provider has served its discovery document and its keys."""
    hits = requests.get(f"{issuer}/_test/hits", timeout=10).json()
    return hits.get("/.well-known/openid-configuration", 0), hits.get("/jwks", 0)


def _log_in_and_out(client: Client) -> None:
    assert client.get(oidc_provider_answer(client)).status_code == 302
    client.post("/accounts/logout/")


@pytest.mark.usefixtures("oidc_a")
def test_a_second_login_fetches_neither_discovery_nor_keys_again(
    client_a: Client, oidc_provider: str
) -> None:
    _log_in_and_out(client_a)
    before = _fetches(oidc_provider)

    _log_in_and_out(client_a)

    assert _fetches(oidc_provider) == before


@pytest.mark.usefixtures("oidc_a")
def test_login_goes_on_after_the_provider_rotates_its_key(
    client_a: Client, oidc_provider: str
) -> None:
    _log_in_and_out(client_a)  # the old key is cached now
    requests.post(f"{oidc_provider}/_test/rotate", timeout=10).raise_for_status()
    discovery, keys = _fetches(oidc_provider)

    assert client_a.get(oidc_provider_answer(client_a)).status_code == 302
    assert _fetches(oidc_provider) == (discovery, keys + 1)  # the keys once, for the new ID
    _log_in_and_out(client_a)
    assert _fetches(oidc_provider) == (discovery, keys + 1)  # and the new key is cached


@pytest.mark.usefixtures("oidc_a")
def test_saving_the_settings_fetches_discovery_and_keys_afresh(
    client_a: Client, town_a: Municipality, oidc_provider: str
) -> None:
    _log_in_and_out(client_a)
    with tenant_context(town_a):
        provider_save(provider=IdentityProvider.objects.get(), common_name="tangerhuette.localhost")
    discovery, keys = _fetches(oidc_provider)

    _log_in_and_out(client_a)

    assert _fetches(oidc_provider) == (discovery + 1, keys + 1)


@pytest.mark.usefixtures("oidc_a")
def test_each_town_fetches_the_discovery_of_its_own_settings(
    client_a: Client, client_b: Client, town_b: Municipality, oidc_provider: str
) -> None:
    # Both towns' rows may have the same ID in their own schemas; what town A
    # fetched last must still not serve town B.
    oidc_configure(town=town_b, issuer=oidc_provider, client_id="hohe-boerde")
    _log_in_and_out(client_a)
    discovery, keys = _fetches(oidc_provider)

    _log_in_and_out(client_b)

    assert _fetches(oidc_provider) == (discovery + 1, keys + 1)


@pytest.mark.usefixtures("oidc_a")
def test_town_a_settings_never_serve_a_login_on_town_b(
    client_a: Client, client_b: Client, town_b: Municipality, oidc_provider: str
) -> None:
    assert client_b.get("/federation/login/oidc/").status_code == 404

    # Town B connects the same provider as its own client; town A's callback is refused there.
    oidc_configure(town=town_b, issuer=oidc_provider, client_id="hohe-boerde")
    callback = oidc_provider_answer(client_a)

    assert client_b.get(callback).status_code == 403
    assert _users(town_b) == 0


@pytest.mark.usefixtures("oidc_a")
def test_one_redirect_uri_whichever_domain_of_the_town_the_login_begins_on(
    client_a: Client, town_a: Municipality
) -> None:
    domain_add(town=town_a, domain="rathaus.tangerhuette.de")

    start = host_client("rathaus.tangerhuette.de").get("/federation/login/oidc/")

    assert start["Location"] == "http://tangerhuette.localhost/federation/login/oidc/"
    # On the primary host the login runs with the one registered redirect URI.
    assert client_a.get(oidc_provider_answer(client_a)).status_code == 302
