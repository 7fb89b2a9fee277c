"""The town admin runs the town's back office; nobody else gets in."""

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.selectors import module_activation, module_is_active
from rathaus.modules.services import module_allow
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.models import DEFAULT_PRIMARY_COLOR
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.staff.invitations import staff_invitation_queue
from rathaus.platform.staff.selectors import roles_of
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.platform.messaging.helpers import deliver_waiting

STAFF_PAGES = [
    "/staff/branding/",
    "/staff/modules/",
    "/staff/team/",
    "/staff/messages/",
    "/staff/audit/",
]


@pytest.mark.parametrize("page", ["/staff/", *STAFF_PAGES])
def test_the_town_admin_reaches_every_back_office_page(admin_client_a: Client, page: str) -> None:
    assert admin_client_a.get(page).status_code == 200


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_a_citizen_is_refused(client_a: Client, town_a: Municipality, page: str) -> None:
    with tenant_context(town_a):
        citizen = UserFactory.create()
    client_a.post("/accounts/login/", {"username": citizen.email, "password": PASSWORD})

    assert client_a.get(page).status_code == 403


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_a_visitor_is_sent_to_the_login(client_a: Client, page: str) -> None:
    response = client_a.get(page)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_the_admin_of_one_town_has_no_access_to_another(admin_a: User, client_b: Client) -> None:
    response = client_b.post("/accounts/login/", {"username": admin_a.email, "password": PASSWORD})

    assert response.status_code == 200  # the login form again
    assert client_b.get("/staff/branding/").status_code == 302


def test_the_admin_switches_an_allowed_module_on_and_citizens_see_it(
    admin_client_a: Client, town_a: Municipality
) -> None:
    module_allow(town=town_a, key="contact", allowed=True, actor=Actor.system("vendor"))
    assert (
        "Kontakt und Öffnungszeiten einschalten"
        in admin_client_a.get("/staff/modules/").content.decode()
    )

    admin_client_a.post("/staff/modules/contact/switch/", {"enabled": "on"})

    assert module_is_active(town=town_a, key="contact")
    assert (
        'href="/contact/"' in Client(HTTP_HOST="tangerhuette.localhost").get("/").content.decode()
    )


def test_a_module_the_vendor_has_not_allowed_cannot_be_switched_on(
    admin_client_a: Client, town_a: Municipality
) -> None:
    page = admin_client_a.get("/staff/modules/").content.decode()
    assert "Nicht im Vertrag enthalten" in page

    response = admin_client_a.post("/staff/modules/contact/switch/", {"enabled": "on"}, follow=True)

    assert "nicht freigegeben" in response.content.decode()
    assert not module_is_active(town=town_a, key="contact")


def test_module_settings_are_saved_through_the_generic_form(
    admin_client_a: Client, town_a: Municipality
) -> None:
    response = admin_client_a.post(
        "/staff/modules/contact/settings/",
        {
            "office": "Bürgerbüro",
            "phone": "03935 93060",
            "email": "",
            "address": "",
            "opening_hours": '[{"weekday": 1, "opens": "09:00", "closes": "12:00"}]',
        },
    )

    assert response.status_code == 302
    settings = module_activation(town=town_a, key="contact").settings
    assert settings["phone"] == "03935 93060"
    assert settings["opening_hours"][0]["closes"] == "12:00"


def test_bad_module_settings_show_errors_at_the_fields_and_store_nothing(
    admin_client_a: Client, town_a: Municipality
) -> None:
    response = admin_client_a.post(
        "/staff/modules/contact/settings/",
        {
            "office": "",
            "phone": "ruf mich an",
            "email": "x",
            "address": "",
            "opening_hours": '[{"weekday": 1, "opens": "09:00",',
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte eine Telefonnummer aus Ziffern angeben." in html
    assert "Kein gültiges JSON (Zeile 1, Spalte" in html
    assert module_activation(town=town_a, key="contact").pk is None


def test_adding_a_new_staff_member_invites_them_by_email(
    admin_client_a: Client, town_a: Municipality, django_capture_on_commit_callbacks: object
) -> None:
    response = admin_client_a.post(
        "/staff/team/add/",
        {"email": "neu@tangerhuette.de", "first_name": "Nora", "roles": ["town_admin"]},
    )
    assert response.status_code == 302

    with tenant_context(town_a):
        user = User.objects.get(email="neu@tangerhuette.de")
        assert roles_of(user=user) == {"town_admin"}
    assert not mail.outbox  # sent by the outbox once the request is committed
    assert deliver_waiting(town_a).sent == 1
    # A retried task, or inviting again, sends nothing twice.
    assert deliver_waiting(town_a).sent == 0
    with tenant_context(town_a):
        again = staff_invitation_queue(town=town_a, user=user)
        assert again.state == OutboxMessage.State.SENT
        assert AuditEntry.objects.filter(action="staff.invited", target=user.email).count() == 1
    assert deliver_waiting(town_a).sent == 0

    assert len(mail.outbox) == 1
    assert mail.outbox[0].from_email == "Tangerhütte <noreply@localhost>"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/" in line)
    path = "/accounts/" + link.split("/accounts/", 1)[1]
    form = admin_client_a.get(path, follow=True)
    assert form.status_code == 200
    set_password_url = form.redirect_chain[-1][0]
    done = admin_client_a.post(
        set_password_url,
        {
            "new_password1": "Ein-sehr-gutes-Passwort-2026",
            "new_password2": "Ein-sehr-gutes-Passwort-2026",
        },
    )
    assert done.status_code == 302
    with tenant_context(town_a):
        assert User.objects.get(email="neu@tangerhuette.de").check_password(
            "Ein-sehr-gutes-Passwort-2026"
        )


def test_the_admin_cannot_remove_their_own_admin_role(
    admin_client_a: Client, admin_a: User
) -> None:
    response = admin_client_a.post(f"/staff/team/{admin_a.pk}/", {"roles": []})

    assert "nicht selbst die Verwaltung entziehen" in response.content.decode()


def test_the_audit_log_shows_who_changed_what_and_filters(
    admin_client_a: Client, town_a: Municipality
) -> None:
    admin_client_a.post("/staff/branding/", {"primary_color": "#7a1f1f", "display_name": "Stadt"})

    html = admin_client_a.get("/staff/audit/?action=branding.").content.decode()
    rows = html.split('<ol class="rh-audit', 1)[1]

    assert "verwaltung@tangerhuette.de hat das Erscheinungsbild geändert." in rows
    assert f"Hauptfarbe: {DEFAULT_PRIMARY_COLOR} → #7a1f1f" in rows
    assert "ins Team aufgenommen" not in rows
    with tenant_context(town_a):
        assert AuditEntry.objects.filter(action="branding.update").count() == 1


def test_the_team_page_names_roles_by_their_labels(
    admin_client_a: Client, town_a: Municipality
) -> None:
    from tests.platform.staff.conftest import make_staff

    make_staff(town_a, "clerk@tangerhuette.de", ["appointments.clerk", "news.editor"])

    html = admin_client_a.get("/staff/team/").content.decode()

    assert "Verwaltung der Kommune" in html
    assert "Neuigkeiten: Redaktion, Termine: Sachbearbeitung" in html
    assert "town_admin" not in html
    assert "appointments.clerk" not in html
