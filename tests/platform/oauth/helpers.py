"""An app's side of the OAuth 2.0 flow, as a native app would run it against a town."""

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.test import Client
from django_tenants.utils import tenant_context
from oauth2_provider.models import AbstractApplication

from rathaus.platform.audit.services import Actor
from rathaus.platform.oauth.services import app_register
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.conftest import host_client

REDIRECT_URI = "de.rathaus.app:/oauth/callback"


def register_app(town: Municipality, name: str = "Rathaus-App") -> AbstractApplication:
    with tenant_context(town):
        return app_register(
            town=town, name=name, redirect_uris=[REDIRECT_URI], actor=Actor.system("test")
        )


def app_client(town: Municipality) -> Client:
    """The app's own HTTP client: no cookies of the browser."""
    return host_client(town_host(slug=town.slug))


@dataclass
class Pkce:
    verifier: str
    challenge: str


def pkce() -> Pkce:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return Pkce(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode())


def authorize_query(
    app: AbstractApplication,
    proof: Pkce,
    *,
    scope: str = "appointments:read",
    redirect_uri: str = REDIRECT_URI,
    method: str = "S256",
) -> str:
    return "/oauth/authorize/?" + urlencode(
        {
            "response_type": "code",
            "client_id": app.client_id,
            "redirect_uri": redirect_uri,
            "scope": scope,
            "state": "state-1",
            "code_challenge": proof.challenge,
            "code_challenge_method": method,
        }
    )


def allow(browser: Client, app: AbstractApplication, proof: Pkce, scope: str) -> str:
    """The person's browser shows the consent page and presses "Erlauben"; returns the code."""
    page = browser.get(authorize_query(app, proof, scope=scope))
    assert page.status_code == 200, page.content
    form = page.context["form"]
    data = {name: field.value() or "" for name, field in ((f.name, f) for f in form)}
    data["allow"] = "Authorize"
    answer = browser.post("/oauth/authorize/", data)
    assert answer.status_code == 302, answer.content
    back = urlsplit(answer["Location"])
    assert f"{back.scheme}:{back.path}" == REDIRECT_URI
    query = parse_qs(back.query)
    assert query["state"] == ["state-1"]
    return query["code"][0]


def exchange(app_client: Client, app: AbstractApplication, code: str, verifier: str) -> Any:
    return app_client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )


def refresh(app_client: Client, app: AbstractApplication, refresh_token: str) -> Any:
    return app_client.post(
        "/oauth/token/",
        {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": app.client_id},
    )


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
