"""Registering an app with a town, and a person's "Verbundene Apps" with revoke."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_tenants.utils import tenant_context
from oauth2_provider.models import get_application_model

from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.appointments.conftest import log_in
from tests.modules.conftest import switch_on

from .helpers import allow, app_client, bearer, exchange, pkce, register_app

BOOKINGS = "/api/v1/appointments/bookings/"


def test_the_command_registers_a_public_client_with_one_town_only(
    town_a: Municipality, town_b: Municipality
) -> None:
    out = StringIO()
    call_command(
        "oauth_app_register", town_a.ags, "Tangerhütte-App", "de.rathaus.app:/cb", stdout=out
    )

    client_id = out.getvalue().split("client_id: ")[1].strip()
    with tenant_context(town_a):
        app = get_application_model().objects.get(client_id=client_id)
        assert app.client_type == "public"
        assert app.redirect_uris == "de.rathaus.app:/cb"
    with tenant_context(town_b):
        assert not get_application_model().objects.filter(client_id=client_id).exists()


def test_the_command_names_a_bad_redirect_uri(town_a: Municipality) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("oauth_app_register", town_a.slug, "App", "http://example.org/cb")

    assert "„http://example.org/cb“: das Schema „http“ ist nicht erlaubt" in str(refused.value)


@pytest.fixture
def person(town_a: Municipality) -> User:
    with tenant_context(town_a):
        return UserFactory.create(email="erika@example.org")


def test_connected_apps_show_scopes_and_last_use_and_revoke_ends_access(
    client_a: Client, person: User, town_a: Municipality
) -> None:
    switch_on(town_a, "appointments")
    app = register_app(town_a, "Rathaus-App")
    log_in(client_a, person.email)
    proof = pkce()
    code = allow(client_a, app, proof, "appointments:read news:read")
    tokens = exchange(app_client(town_a), app, code, proof.verifier).json()
    assert (
        app_client(town_a).get(BOOKINGS, headers=bearer(tokens["access_token"])).status_code == 200
    )

    account = client_a.get("/accounts/").content.decode()
    assert "Verbundene Apps" in account
    assert "Rathaus-App" in account
    page = client_a.get("/oauth/connected/").content.decode()
    assert "Rathaus-App" in page
    assert "Ihre gebuchten Termine sehen" in page
    assert "Sehen, welche Nachrichten-Themen Sie erhalten" in page
    assert "zuletzt benutzt am" in page

    client_a.post("/oauth/connected/", {"revoke": str(app.pk)})

    assert "Keine App hat Zugriff" in client_a.get("/oauth/connected/").content.decode()
    assert (
        app_client(town_a).get(BOOKINGS, headers=bearer(tokens["access_token"])).status_code == 401
    )
    renewed = app_client(town_a).post(
        "/oauth/token/",
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": app.client_id,
        },
    )
    assert renewed.status_code == 400


def test_another_persons_revoke_leaves_my_connection(
    client_a: Client, person: User, town_a: Municipality
) -> None:
    app = register_app(town_a)
    log_in(client_a, person.email)
    proof = pkce()
    exchange(app_client(town_a), app, allow(client_a, app, proof, "news:read"), proof.verifier)
    with tenant_context(town_a):
        UserFactory.create(email="other@example.org")
    other = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    log_in(other, "other@example.org")

    other.post("/oauth/connected/", {"revoke": str(app.pk)})

    assert "Rathaus-App" in client_a.get("/oauth/connected/").content.decode()
