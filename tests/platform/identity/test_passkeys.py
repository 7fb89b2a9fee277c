"""Passkeys: set up under "Mein Rathaus", log in with one, only ever on the town they are for."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context
from webauthn.helpers import base64url_to_bytes

from rathaus.platform.identity.models import Passkey, User
from rathaus.platform.identity.passkeys import passkey_origin, passkey_register, passkey_rp_id
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.html import text_of
from tests.platform.identity.authenticator import SoftAuthenticator
from tests.platform.identity.passkey_steps import (
    passkey_login_steps,
    passkey_register_steps,
    post_json,
)


def _log_in(client: Client, email: str) -> None:
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def _erika_with_a_passkey(client: Client, town: Municipality) -> tuple[SoftAuthenticator, str]:
    """Erika's account on ``town`` with a passkey on her phone; she is logged out again."""
    with tenant_context(town):
        UserFactory(email="erika@example.org")
        origin = passkey_origin(town=town)
    phone = SoftAuthenticator()
    _log_in(client, "erika@example.org")
    assert passkey_register_steps(client, phone, origin=origin).status_code == 200
    client.post("/accounts/logout/")
    return phone, origin


def test_a_citizen_sets_up_a_passkey_and_logs_in_with_it_instead_of_a_password(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org", first_name="Erika")
        origin = passkey_origin(town=town_a)
    phone = SoftAuthenticator()
    _log_in(client_a, "erika@example.org")

    response = passkey_register_steps(client_a, phone, origin=origin, name="  Mein   Telefon ")

    assert response.status_code == 200, response.content.decode()
    assert response.json() == {"redirect": "/accounts/passkeys/"}
    page = text_of(client_a.get("/accounts/passkeys/").content.decode())
    assert "Der Passkey „Mein Telefon“ ist eingerichtet." in page
    assert "noch nicht benutzt" in page
    assert "1 Passkey eingerichtet" in text_of(client_a.get("/accounts/").content.decode())

    client_a.post("/accounts/logout/")
    assert "_auth_user_id" not in client_a.session
    response = passkey_login_steps(client_a, phone, origin=origin)

    assert response.status_code == 200, response.content.decode()
    assert response.json() == {"redirect": "/"}
    assert "Mein Rathaus" in client_a.get("/").content.decode()
    # The passkey is the second factor too (django-otp's is_verified).
    assert client_a.session["otp_device_id"].startswith("identity.passkey/")
    assert "zuletzt benutzt am" in text_of(client_a.get("/accounts/passkeys/").content.decode())


def test_a_passkey_login_needs_no_code_from_the_authenticator_app(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        user = UserFactory.create(email="erika@example.org")
        origin = passkey_origin(town=town_a)
    phone = SoftAuthenticator()
    _log_in(client_a, "erika@example.org")
    assert passkey_register_steps(client_a, phone, origin=origin).status_code == 200
    client_a.post("/accounts/logout/")
    with tenant_context(town_a):
        TOTPDevice.objects.create(user=user, name="App", confirmed=True)

    # With the password the TOTP code is still asked for ...
    response = client_a.post(
        "/accounts/login/", {"username": "erika@example.org", "password": PASSWORD}
    )
    assert response["Location"].startswith("/accounts/login/code/")
    # ... with the passkey it is not.
    response = passkey_login_steps(client_a, phone, origin=origin)
    assert response.status_code == 200
    assert client_a.session["_auth_user_id"] == str(user.pk)


def test_a_passkey_made_for_one_town_never_logs_in_on_another(
    client_a: Client, client_b: Client, town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")
        origin_a = passkey_origin(town=town_a)
    with tenant_context(town_b):
        erika_b = UserFactory.create(email="erika@example.org")
        origin_b = passkey_origin(town=town_b)
    phone = SoftAuthenticator()
    _log_in(client_a, "erika@example.org")
    assert passkey_register_steps(client_a, phone, origin=origin_a).status_code == 200
    credential = phone.credentials[0]

    # The other town does not know the passkey ...
    response = passkey_login_steps(client_b, phone, origin=origin_b, credential=credential)
    assert response.status_code == 400
    assert "kennt das digitale Rathaus dieser Kommune nicht" in response.json()["error"]
    # ... a copy of it in the other town's schema is not taken for one of its own: it was
    # made for town A's host ...
    with tenant_context(town_a):
        stored = Passkey.objects.get()
    with tenant_context(town_b):
        copy = Passkey.objects.create(
            user=erika_b,
            name="Kopie",
            credential_id=bytes(stored.credential_id),
            public_key=bytes(stored.public_key),
            rp_id=stored.rp_id,
        )
    response = passkey_login_steps(client_b, phone, origin=origin_b, credential=credential)
    assert "kennt das digitale Rathaus dieser Kommune nicht" in response.json()["error"]
    # ... and relabelled as town B's, its signature still names town A's host.
    with tenant_context(town_b):
        Passkey.objects.filter(pk=copy.pk).update(rp_id=passkey_rp_id(town=town_b))
    for origin in (origin_b, origin_a):
        response = passkey_login_steps(client_b, phone, origin=origin, credential=credential)
        assert response.status_code == 400
        assert response.json()["error"] == "Die Anmeldung mit dem Passkey hat nicht geklappt."
        assert "_auth_user_id" not in client_b.session


def test_one_answer_posted_twice_keeps_one_passkey_and_says_so(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        erika = UserFactory.create(email="erika@example.org")
        origin = passkey_origin(town=town_a)
    _log_in(client_a, "erika@example.org")
    options = post_json(client_a, "/accounts/passkeys/new/options/").content.decode()
    answer = json.dumps(SoftAuthenticator().create(options, origin=origin))
    challenge = base64url_to_bytes(json.loads(options)["challenge"])

    with tenant_context(town_a):
        passkey_register(
            town=town_a, user=erika, credential=answer, challenge=challenge, name="Telefon"
        )
        with pytest.raises(ValidationError, match="schon eingerichtet"):
            passkey_register(
                town=town_a, user=erika, credential=answer, challenge=challenge, name="Telefon"
            )
        assert Passkey.objects.filter(user=erika).count() == 1


def test_a_passkey_is_registered_only_from_the_towns_own_host(
    client_a: Client, town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")
    with tenant_context(town_b):
        foreign = passkey_origin(town=town_b)
    _log_in(client_a, "erika@example.org")

    response = passkey_register_steps(client_a, SoftAuthenticator(), origin=foreign)

    assert response.status_code == 400
    assert "Der Passkey konnte nicht eingerichtet werden" in response.json()["error"]
    with tenant_context(town_a):
        assert not Passkey.objects.exists()


def test_each_challenge_is_used_once(client_a: Client, town_a: Municipality) -> None:
    phone, origin = _erika_with_a_passkey(client_a, town_a)
    options = post_json(client_a, "/accounts/login/passkey/options/").content.decode()
    answer = phone.get(options, origin=origin)
    assert (
        post_json(client_a, "/accounts/login/passkey/", {"credential": answer}).status_code == 200
    )
    client_a.post("/accounts/logout/")

    replay = post_json(client_a, "/accounts/login/passkey/", {"credential": answer})

    assert replay.status_code == 400
    assert replay.json()["error"] == "Bitte starten Sie die Anmeldung noch einmal."


def test_a_passkey_needs_a_name(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")
        origin = passkey_origin(town=town_a)
    _log_in(client_a, "erika@example.org")

    response = passkey_register_steps(client_a, SoftAuthenticator(), origin=origin, name="   ")

    assert response.status_code == 400
    assert response.json()["error"] == "Bitte geben Sie dem Passkey einen Namen."


def test_a_second_device_gets_its_own_passkey_and_each_is_renamed_and_removed_alone(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        erika = UserFactory.create(email="erika@example.org")
        other = UserFactory.create(email="max@example.org")
        origin = passkey_origin(town=town_a)
    phone, laptop = SoftAuthenticator(), SoftAuthenticator()
    _log_in(client_a, "erika@example.org")
    assert passkey_register_steps(client_a, phone, origin=origin, name="Telefon").status_code == 200
    assert passkey_register_steps(client_a, laptop, origin=origin, name="Laptop").status_code == 200
    with tenant_context(town_a):
        keys = {key.name: key.pk for key in Passkey.objects.filter(user=erika)}
        foreign = Passkey.objects.create(
            user=other, name="Max", credential_id=b"max", public_key=b"k", rp_id="x"
        )
    assert set(keys) == {"Telefon", "Laptop"}

    client_a.post("/accounts/passkeys/", {"rename": keys["Laptop"], "name": "Büro-Laptop"})
    client_a.post("/accounts/passkeys/", {"remove": keys["Telefon"]})
    client_a.post("/accounts/passkeys/", {"remove": foreign.pk})

    page = text_of(client_a.get("/accounts/passkeys/").content.decode())
    assert "„Büro-Laptop“ entfernen" in page
    assert "„Telefon“ entfernen" not in page
    with tenant_context(town_a):
        assert Passkey.objects.filter(pk=foreign.pk).exists()
    # The removed passkey no longer logs in; the other one does.
    client_a.post("/accounts/logout/")
    assert passkey_login_steps(client_a, phone, origin=origin).status_code == 400
    assert passkey_login_steps(client_a, laptop, origin=origin).status_code == 200


def test_the_passkey_pages_need_a_login(client_a: Client, town_a: Municipality) -> None:
    assert client_a.get("/accounts/passkeys/").status_code == 302
    assert post_json(client_a, "/accounts/passkeys/new/options/").status_code == 302


def test_an_inactive_account_cannot_log_in_with_its_passkey(
    client_a: Client, town_a: Municipality
) -> None:
    phone, origin = _erika_with_a_passkey(client_a, town_a)
    with tenant_context(town_a):
        User.objects.filter(email="erika@example.org").update(is_active=False)

    assert passkey_login_steps(client_a, phone, origin=origin).status_code == 400
