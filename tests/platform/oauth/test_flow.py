"""A native app logs a person in with OAuth 2.0 (code + PKCE) and reads their bookings."""

from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import tenant_context
from oauth2_provider.models import AbstractApplication

from rathaus.modules.appointments.services import appointment_book
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.appointments.conftest import (
    CITIZEN,
    Office,
    at,
    log_in,
    open_day,
    set_up_office,
)

from .helpers import (
    allow,
    app_client,
    authorize_query,
    bearer,
    exchange,
    pkce,
    refresh,
    register_app,
)

BOOKINGS = "/api/v1/appointments/bookings/"


@pytest.fixture
def office_a(town_a: Municipality) -> Office:
    return set_up_office(town_a)


@pytest.fixture
def office_b(town_b: Municipality) -> Office:
    return set_up_office(town_b, name="Bürgerbüro Irxleben")


@pytest.fixture
def person(office_a: Office) -> User:
    """A citizen of Tangerhütte with one booking, logged in in ``client_a``."""
    with tenant_context(office_a.town):
        user = UserFactory.create(email="erika@example.org")
        appointment_book(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=at(open_day(office_a.town), 10),
            citizen=CITIZEN,
            user=user,
        )
    return user


@pytest.fixture
def app_a(town_a: Municipality) -> AbstractApplication:
    return register_app(town_a)


def connect(browser: Client, app: AbstractApplication, town: Municipality, scope: str) -> Any:
    proof = pkce()
    code = allow(browser, app, proof, scope)
    answer = exchange(app_client(town), app, code, proof.verifier)
    assert answer.status_code == 200, answer.content
    return answer.json()


@pytest.fixture
def tokens(client_a: Client, person: User, app_a: AbstractApplication, town_a: Municipality) -> Any:
    log_in(client_a, person.email)
    return connect(client_a, app_a, town_a, "appointments:read")


def test_the_consent_page_names_the_app_and_the_scopes_in_plain_words(
    client_a: Client, person: User, app_a: AbstractApplication
) -> None:
    log_in(client_a, person.email)
    page = client_a.get(
        authorize_query(app_a, pkce(), scope="appointments:read appointments:write")
    )

    text = page.content.decode()
    assert "„Rathaus-App“ mit Ihrem Konto verbinden?" in text
    assert "Tangerhütte" in text
    assert "Ihre gebuchten Termine sehen" in text
    assert "Termine für Sie buchen, verschieben und absagen" in text


def test_the_consent_page_asks_a_stranger_to_log_in_first(
    client_a: Client, app_a: AbstractApplication
) -> None:
    page = client_a.get(authorize_query(app_a, pkce()))

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/?next=/oauth/authorize/")


def test_the_full_pkce_flow_gives_a_token_that_reads_the_persons_bookings(
    tokens: Any, town_a: Municipality
) -> None:
    assert tokens["token_type"] == "Bearer"
    assert tokens["scope"] == "appointments:read"
    assert tokens["refresh_token"]

    bookings = app_client(town_a).get(BOOKINGS, headers=bearer(tokens["access_token"]))

    assert bookings.status_code == 200, bookings.content
    assert [b["service"]["name"] for b in bookings.json()] == ["Personalausweis beantragen"]


def test_a_token_without_the_scope_is_403(
    client_a: Client, person: User, app_a: AbstractApplication, town_a: Municipality
) -> None:
    log_in(client_a, person.email)
    news_only = connect(client_a, app_a, town_a, "news:read")

    refused = app_client(town_a).get(BOOKINGS, headers=bearer(news_only["access_token"]))

    assert refused.status_code == 403
    assert "appointments:read" in refused.json()["detail"]


def test_a_read_token_cannot_book(tokens: Any, office_a: Office) -> None:
    start = at(open_day(office_a.town), 12)
    refused = app_client(office_a.town).post(
        BOOKINGS,
        {
            "service": office_a.service.pk,
            "location": office_a.location.pk,
            "start": start.isoformat(),
        },
        content_type="application/json",
        headers=bearer(tokens["access_token"]),
    )

    assert refused.status_code == 403
    assert "appointments:write" in refused.json()["detail"]


def test_a_token_of_tangerhuette_is_refused_on_hohe_boerde(tokens: Any, office_b: Office) -> None:
    refused = app_client(office_b.town).get(BOOKINGS, headers=bearer(tokens["access_token"]))

    assert refused.status_code == 401
    assert refused["WWW-Authenticate"].startswith("Bearer")
    assert "ungültig, abgelaufen oder widerrufen" in refused.json()["detail"]


def test_a_revoked_token_is_refused(
    tokens: Any, app_a: AbstractApplication, town_a: Municipality
) -> None:
    app = app_client(town_a)
    revoked = app.post(
        "/oauth/revoke/", {"token": tokens["access_token"], "client_id": app_a.client_id}
    )
    assert revoked.status_code == 200

    assert app.get(BOOKINGS, headers=bearer(tokens["access_token"])).status_code == 401


def test_refresh_gives_new_tokens_and_the_old_refresh_token_is_refused(
    tokens: Any, app_a: AbstractApplication, town_a: Municipality
) -> None:
    app = app_client(town_a)
    renewed = refresh(app, app_a, tokens["refresh_token"])
    assert renewed.status_code == 200, renewed.content
    fresh = renewed.json()
    assert fresh["refresh_token"] != tokens["refresh_token"]
    assert app.get(BOOKINGS, headers=bearer(fresh["access_token"])).status_code == 200
    assert app.get(BOOKINGS, headers=bearer(tokens["access_token"])).status_code == 401

    again = refresh(app, app_a, tokens["refresh_token"])

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"


def test_a_wrong_code_verifier_is_refused(
    client_a: Client, person: User, app_a: AbstractApplication, town_a: Municipality
) -> None:
    log_in(client_a, person.email)
    code = allow(client_a, app_a, pkce(), "appointments:read")

    answer = exchange(app_client(town_a), app_a, code, pkce().verifier)

    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_grant"


def test_plain_pkce_is_refused_back_to_the_app(
    client_a: Client, person: User, app_a: AbstractApplication
) -> None:
    log_in(client_a, person.email)
    proof = pkce()
    proof.challenge = proof.verifier

    answer = client_a.get(authorize_query(app_a, proof, method="plain"))

    assert answer.status_code == 302
    assert answer["Location"].startswith("de.rathaus.app:/oauth/callback?")
    assert "error=invalid_request" in answer["Location"]


def test_a_bad_redirect_uri_is_refused_with_a_clear_message(
    client_a: Client, person: User, app_a: AbstractApplication
) -> None:
    log_in(client_a, person.email)

    page = client_a.get(
        authorize_query(app_a, pkce(), redirect_uri="https://evil.example.com/callback")
    )

    assert page.status_code == 400
    text = page.content.decode()
    assert "Rücksprungadresse (redirect_uri)" in text
    assert "nicht eingetragen" in text
    assert "evil.example.com" not in page.get("Location", "")


def test_an_app_of_tangerhuette_is_unknown_on_hohe_boerde(
    client_b: Client, town_b: Municipality, app_a: AbstractApplication
) -> None:
    with tenant_context(town_b):
        UserFactory(email="hans@example.org")
    log_in(client_b, "hans@example.org")

    page = client_b.get(authorize_query(app_a, pkce()))

    assert page.status_code == 400
    assert "Diese App ist bei Hohe Börde nicht eingetragen" in page.content.decode()


def test_a_token_is_no_key_to_the_staff_api(tokens: Any, office_a: Office) -> None:
    refused = app_client(office_a.town).get(
        f"/api/v1/appointments/staff/locations/{office_a.location.pk}/bookings/",
        headers=bearer(tokens["access_token"]),
    )

    assert refused.status_code == 403
    assert "nicht für Apps freigegeben" in refused.json()["detail"]


def test_the_session_still_reads_the_api(client_a: Client, person: User, app_a: Any) -> None:
    log_in(client_a, person.email)

    assert client_a.get(BOOKINGS).status_code == 200
