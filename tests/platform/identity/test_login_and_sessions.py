"""Accounts and sessions belong to one town; nothing of them works on another town's host."""

from importlib import import_module

from django.conf import settings
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory


def _log_in(client: Client, email: str) -> None:
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def test_a_logged_in_citizen_reaches_mein_rathaus_from_the_header(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org", first_name="Erika")
    assert "Mein Rathaus" not in client_a.get("/").content.decode()

    _log_in(client_a, "erika@example.org")

    header = client_a.get("/").content.decode().split("</header>")[0]
    assert 'href="/accounts/"' in header
    assert "Mein Rathaus" in header


def test_the_address_may_be_typed_in_any_letter_case(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")

    _log_in(client_a, "  Erika@Example.ORG ")

    assert "Mein Rathaus" in client_a.get("/").content.decode()


def test_guesses_in_another_letter_case_count_against_the_same_account(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        address = "erika@example.org" if attempt % 2 else "ERIKA@example.org"
        client_a.post("/accounts/login/", {"username": address, "password": "wrong"})

    locked = client_a.post(
        "/accounts/login/", {"username": "Erika@Example.org", "password": PASSWORD}
    )

    assert locked.status_code == 429
    assert "Mein Rathaus" not in client_a.get("/").content.decode()


def test_wrong_password_is_refused_with_a_message(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")

    response = client_a.post(
        "/accounts/login/", {"username": "erika@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_an_account_of_one_town_cannot_log_in_on_another(
    client_b: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")

    response = client_b.post(
        "/accounts/login/", {"username": "erika@example.org", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client_b.session


def test_session_cookie_is_host_only(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")

    _log_in(client_a, "erika@example.org")

    cookie = client_a.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["domain"] == ""
    assert cookie["httponly"] is True


def test_a_session_of_one_town_is_worthless_on_another(
    client_a: Client, client_b: Client, town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        erika = UserFactory.create(email="erika@example.org", first_name="Erika")
    with tenant_context(town_b):
        # Same primary key in town B's own account table: a session that leaked
        # across towns would log the visitor in as this person.
        UserFactory(id=erika.pk, email="someone@example.org", first_name="Zacharias")
    _log_in(client_a, "erika@example.org")

    # A stolen cookie presented on town B's host.
    client_b.cookies[settings.SESSION_COOKIE_NAME] = client_a.cookies[
        settings.SESSION_COOKIE_NAME
    ].value
    html = client_b.get("/").content.decode()

    assert "Zacharias" not in html
    assert "Erika" not in html
    assert "Anmelden" in html


def test_session_data_stored_in_one_town_cannot_be_loaded_in_another(
    town_a: Municipality, town_b: Municipality
) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    with tenant_context(town_a):
        session = store()
        session["draft_application"] = "Hundesteuer"
        session.save()
        assert store(session_key=session.session_key).load()["draft_application"] == "Hundesteuer"

    with tenant_context(town_b):
        assert store(session_key=session.session_key).load() == {}
