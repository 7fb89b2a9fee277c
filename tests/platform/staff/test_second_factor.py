"""A town may require a second factor of its staff (a code or a passkey) before its back office."""

from typing import Any

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.identity.passkeys import passkey_origin
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_policy_set
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.html import text_of
from tests.modules.conftest import switch_on
from tests.platform.identity.authenticator import SoftAuthenticator
from tests.platform.identity.passkey_steps import passkey_login_steps, passkey_register_steps
from tests.platform.staff.conftest import make_staff

CODE_PAGE = "/accounts/login/code/"
STAFF_API = "/api/v1/appointments/staff/locations/0/bookings/?start=2026-12-01&end=2026-12-02"


def _log_in(client: Client, user: User) -> Any:
    return client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})


def _require(town: Municipality) -> None:
    with tenant_context(town):
        staff_policy_set(town=town, second_factor_required=True, actor=Actor.system("test"))


def _app_of(town: Municipality, user: User) -> TOTPDevice:
    with tenant_context(town):
        return TOTPDevice.objects.create(user=user, name="App", confirmed=True)


def test_the_town_admin_requires_it_and_an_admin_without_one_is_sent_to_set_one_up(
    admin_client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "appointments")
    assert admin_client_a.get("/staff/").status_code == 200
    team = text_of(admin_client_a.get("/staff/team/").content.decode())
    assert "Zweiter Faktor" in team
    assert "keiner" in team

    saved = admin_client_a.post("/staff/team/", {"second_factor_required": "on"}, follow=True)

    assert "bestätigt die Anmeldung jetzt mit einem zweiten Faktor" in saved.content.decode()
    with tenant_context(town_a):
        assert AuditEntry.objects.filter(action="staff.policy").count() == 1
    # Logged in by password only: every back-office page and the staff API now ask for it ...
    page = admin_client_a.get("/staff/team/")
    assert page.status_code == 302
    assert page["Location"] == f"{CODE_PAGE}?next=%2Fstaff%2Fteam%2F"
    assert admin_client_a.get("/staff/").status_code == 302
    api = admin_client_a.get(STAFF_API)
    assert api.status_code == 403
    assert "zweiten Faktor" in api.json()["detail"]
    asked = text_of(admin_client_a.get(page["Location"]).content.decode())
    assert "Noch kein zweiter Faktor eingerichtet" in asked
    # ... while the citizen side of the account stays open.
    assert admin_client_a.get("/accounts/").status_code == 200


def test_setting_up_the_app_proves_the_factor_for_the_session(
    admin_client_a: Client, admin_a: User, town_a: Municipality
) -> None:
    _require(town_a)
    admin_client_a.get("/accounts/two-factor/")
    with tenant_context(town_a):
        device = TOTPDevice.objects.get(user=admin_a)

    admin_client_a.post("/accounts/two-factor/", {"code": f"{totp(device.bin_key):06d}"})

    assert admin_client_a.get("/staff/").status_code == 200


def test_a_clerk_with_the_app_gives_the_code_and_is_let_in(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "appointments")
    clerk = make_staff(town_a, "termine@tangerhuette.de", ["appointments.clerk"])
    device = _app_of(town_a, clerk)
    _require(town_a)

    first = _log_in(client_a, clerk)
    assert first["Location"].startswith(CODE_PAGE)
    assert "_auth_user_id" not in client_a.session
    done = client_a.post(f"{CODE_PAGE}?next=/staff/", {"code": f"{totp(device.bin_key):06d}"})

    assert done["Location"] == "/staff/"
    assert client_a.get("/staff/").status_code == 200
    assert client_a.get(STAFF_API).status_code == 404  # let through: no such location


def test_staff_with_a_passkey_confirm_the_password_login_with_it(
    client_a: Client, town_a: Municipality
) -> None:
    admin = make_staff(town_a, "verwaltung@tangerhuette.de", [TOWN_ADMIN])
    with tenant_context(town_a):
        origin = passkey_origin(town=town_a)
        UserFactory.create(email="erika@example.org")
    phone, other_phone = SoftAuthenticator(), SoftAuthenticator()
    _log_in(client_a, admin)
    assert passkey_register_steps(client_a, phone, origin=origin).status_code == 200
    client_a.post("/accounts/logout/")
    client_a.post("/accounts/login/", {"username": "erika@example.org", "password": PASSWORD})
    assert passkey_register_steps(client_a, other_phone, origin=origin).status_code == 200
    client_a.post("/accounts/logout/")
    _require(town_a)

    first = _log_in(client_a, admin)
    assert first["Location"].startswith(CODE_PAGE)
    page = text_of(client_a.get(first["Location"]).content.decode())
    assert "Mit Passkey bestätigen" in page
    assert "Authenticator-App" not in page  # no app set up: no code field
    # Someone else's passkey does not confirm the admin's login ...
    wrong = passkey_login_steps(
        client_a, other_phone, origin=origin, credential=other_phone.credentials[0]
    )
    assert wrong.json()["error"] == "Dieser Passkey gehört zu einem anderen Konto."
    assert "_auth_user_id" not in client_a.session
    # ... the admin's own does.
    assert passkey_login_steps(client_a, phone, origin=origin).status_code == 200
    assert client_a.get("/staff/").status_code == 200


def test_a_citizen_with_a_passkey_still_logs_in_by_password_alone(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        erika = UserFactory.create(email="erika@example.org")
        origin = passkey_origin(town=town_a)
    _log_in(client_a, erika)
    passkey_register_steps(client_a, SoftAuthenticator(), origin=origin)
    client_a.post("/accounts/logout/")
    _require(town_a)

    assert not _log_in(client_a, erika)["Location"].startswith(CODE_PAGE)
    assert client_a.session["_auth_user_id"] == str(erika.pk)


def test_the_rule_of_one_town_binds_no_other(
    client_b: Client, town_a: Municipality, town_b: Municipality
) -> None:
    _require(town_a)
    admin_b = make_staff(town_b, "verwaltung@hohe-boerde.de", [TOWN_ADMIN])

    _log_in(client_b, admin_b)

    assert client_b.get("/staff/").status_code == 200
