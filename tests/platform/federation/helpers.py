"""A browser's part of a state-account login: follow redirects, fill the IdP's form."""

import re
from urllib.parse import parse_qs, urlparse

import requests
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.federation import saml
from rathaus.platform.federation.models import IdentityProvider, Protocol
from rathaus.platform.federation.services import provider_save
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host

IDP_PASSWORD = "geheim"


def _field(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert match, html
    return match.group(1)


def saml_configure(*, town: Municipality, client: Client, idp: str) -> IdentityProvider:
    """Sets up the town's SAML settings from the IdP's metadata URL and registers
    the town's SP metadata at the IdP, as the town admin and the provider would."""
    with tenant_context(town):
        provider = IdentityProvider(
            protocol=Protocol.SAML,
            name="Servicekonto Sachsen-Anhalt",
            enabled=True,
            saml_metadata_url=f"{idp}/metadata",
            attribute_mapping={
                "email": "mail",
                "first_name": "givenName",
                "last_name": "sn",
                "birth_date": "schacDateOfBirth",
                "postal_code": "postalCode",
                "city": "l",
            },
        )
        saml.saml_metadata_fetch(provider=provider)
        provider_save(provider=provider, common_name=town_host(slug=town.slug))
    metadata = client.get("/federation/saml/metadata/")
    assert metadata.status_code == 200
    requests.post(f"{idp}/_test/sp", data=metadata.content, timeout=10).raise_for_status()
    return provider


def saml_idp_answer(
    client: Client, *, extra: dict[str, str] | None = None, query: str = ""
) -> tuple[str, dict[str, str]]:
    """Starts the login on the town's host and logs in at the IdP.

    Returns the ACS path and the form the IdP's page would auto-submit.
    """
    start = client.get(f"/federation/login/saml/{query}")
    assert start.status_code == 302, start.content
    page = requests.get(start["Location"], timeout=10)
    assert page.status_code == 200, page.text
    idp_base = f"{urlparse(start['Location']).scheme}://{urlparse(start['Location']).netloc}"
    answer = requests.post(
        f"{idp_base}/sso/login",
        data={
            "ticket": _field(page.text, "ticket"),
            "username": "erika",
            "password": IDP_PASSWORD,
            **(extra or {}),
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    action = re.search(r'action="([^"]+)"', answer.text)
    assert action
    form = {
        "SAMLResponse": _field(answer.text, "SAMLResponse"),
        "RelayState": _field(answer.text, "RelayState"),
    }
    return urlparse(action.group(1)).path, form


def oidc_configure(*, town: Municipality, issuer: str, client_id: str) -> IdentityProvider:
    """The town's OIDC settings, and the client registered at the provider."""
    redirect = f"http://{town_host(slug=town.slug)}/federation/oidc/callback/"
    requests.post(
        f"{issuer}/_test/clients",
        json={
            "client_id": client_id,
            "client_secret": f"secret-{client_id}",
            "redirect_uris": [redirect],
        },
        timeout=10,
    ).raise_for_status()
    with tenant_context(town):
        provider = IdentityProvider(
            protocol=Protocol.OIDC,
            name="BundID",
            enabled=True,
            oidc_issuer=issuer,
            oidc_client_id=client_id,
            oidc_client_secret=f"secret-{client_id}",
            oidc_scopes="openid email profile address",
        )
        return provider_save(provider=provider, common_name=town_host(slug=town.slug))


def oidc_provider_answer(client: Client, *, username: str = "erika", query: str = "") -> str:
    """Starts the login and logs in at the provider; returns the callback path + query."""
    start = client.get(f"/federation/login/oidc/{query}")
    assert start.status_code == 302, start.content
    location = start["Location"]
    page = requests.get(location, timeout=10)
    assert page.status_code == 200, page.text
    answer = requests.post(
        location,
        data={"username": username, "password": IDP_PASSWORD},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    callback = urlparse(answer.headers["Location"])
    assert "code" in parse_qs(callback.query)
    return f"{callback.path}?{callback.query}"
