"""The audit log speaks plain German: names, services, roles; filters and pages."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.services import module_allow, module_configure, module_enable
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.audit.wording import audit_lines
from rathaus.platform.identity.models import User
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD

VENDOR = Actor.system("vendor")


@pytest.fixture
def erika(town_a: Municipality) -> User:
    with tenant_context(town_a):
        user = staff_add(
            town=town_a,
            email="erika.muster@tangerhuette.de",
            roles=[TOWN_ADMIN],
            actor=Actor.system("test"),
            first_name="Erika",
            last_name="Muster",
        )
        user.set_password(PASSWORD)
        user.save()
    return user


@pytest.fixture
def erika_client(client_a: Client, erika: User) -> Client:
    client_a.post("/accounts/login/", {"username": erika.email, "password": PASSWORD})
    return client_a


def _sentences(town: Municipality) -> list[str]:
    with tenant_context(town):
        return [line.sentence for line in audit_lines(AuditEntry.objects.all())]


def test_switching_a_service_reads_as_a_sentence_with_the_persons_name(
    erika_client: Client, town_a: Municipality
) -> None:
    module_allow(town=town_a, key="appointments", allowed=True, actor=VENDOR)
    erika_client.post("/staff/modules/appointments/switch/", {"enabled": "on"})

    html = erika_client.get("/staff/audit/").content.decode()

    assert "Erika Muster hat den Dienst Termine eingeschaltet." in html
    assert "Das System hat den Dienst Termine freigegeben." in html
    assert "module.enable" not in html
    assert "{" not in html.split('<ol class="rh-audit', 1)[1]  # no Python dicts


def test_role_changes_name_the_roles_by_their_labels(erika: User, town_a: Municipality) -> None:
    with tenant_context(town_a):
        staff_add(
            town=town_a,
            email="clerk@tangerhuette.de",
            roles=["appointments.clerk"],
            actor=Actor.staff(erika),
        )
        lines = audit_lines(AuditEntry.objects.filter(action="staff.roles", target__startswith="c"))

    assert lines[0].sentence == "Erika Muster hat clerk@tangerhuette.de ins Team aufgenommen."
    assert lines[0].details == ["Neue Rollen: „Termine: Sachbearbeitung“"]


def test_settings_changes_list_each_field_by_label_with_durations_in_hours(
    erika: User, town_a: Municipality
) -> None:
    module_allow(town=town_a, key="appointments", allowed=True, actor=VENDOR)
    module_configure(
        town=town_a, key="appointments", settings={"min_notice_minutes": 90}, actor=VENDOR
    )
    module_configure(
        town=town_a,
        key="appointments",
        settings={"min_notice_minutes": 150, "reminders": False},
        actor=Actor.staff(erika),
    )

    with tenant_context(town_a):
        line = audit_lines(AuditEntry.objects.filter(action="module.configure"))[0]

    assert line.sentence == "Erika Muster hat die Einstellungen von Termine geändert."
    assert "Frühestens buchbar ab jetzt in: 1 Std. 30 Min. → 2 Std. 30 Min." in line.details
    assert "Erinnerung am Vortag senden: ja → nein" in line.details


def test_the_vendor_and_its_support_are_named_as_such(town_a: Municipality) -> None:
    module_allow(
        town=town_a, key="news", allowed=False, actor=Actor.vendor_support("ops@rathaus.de")
    )
    audit_record(town=town_a, actor=Actor.system("x"), action="town.domain_add", target="www.t.de")

    sentences = _sentences(town_a)

    assert "Das System hat die Adresse www.t.de hinzugefügt." in sentences
    assert (
        "Der Support des Betreibers (ops@rathaus.de) hat die Freigabe des Dienstes "
        "Neuigkeiten zurückgezogen." in sentences
    )


def test_a_modules_own_events_are_worded_by_the_module(erika: User, town_a: Municipality) -> None:
    from tests.modules.appointments.conftest import set_up_office

    office = set_up_office(town_a)
    start = timezone.now() - dt.timedelta(hours=1)
    with tenant_context(town_a):
        from rathaus.modules.appointments.models import Booking
        from rathaus.modules.appointments.services import appointment_mark_no_show

        booking = Booking.objects.create(
            service=office.service,
            location=office.location,
            counter=1,
            start=start,
            end=start + dt.timedelta(minutes=30),
            name="Max",
            email="m@example.org",
        )
        appointment_mark_no_show(
            town=town_a, booking=booking, no_show=True, actor=Actor.staff(erika)
        )
        line = audit_lines(AuditEntry.objects.filter(action="appointments.no_show"))[0]

    local = timezone.localtime(start)
    assert line.sentence == (
        f"Erika Muster hat den Termin „Personalausweis beantragen“ am "
        f"{local:%d.%m.%Y} um {local:%H:%M} als „nicht erschienen“ vermerkt."
    )


def test_an_unknown_action_still_reads_and_never_breaks_the_page(
    erika_client: Client, town_a: Municipality
) -> None:
    audit_record(town=town_a, actor=Actor.system(), action="later.thing", target="x")

    html = erika_client.get("/staff/audit/").content.decode()

    assert "Das System hat eine Änderung vorgenommen (later.thing „x“)." in html


def test_the_log_filters_by_person_and_what_and_time(
    erika_client: Client, erika: User, town_a: Municipality
) -> None:
    module_allow(town=town_a, key="appointments", allowed=True, actor=VENDOR)
    module_enable(town=town_a, key="appointments", enabled=True, actor=Actor.staff(erika))

    page = erika_client.get("/staff/audit/").content.decode()
    assert '<option value="staff:erika.muster@tangerhuette.de">Erika Muster</option>' in page
    assert '<option value="module.">Dienste ein- und ausschalten, einstellen</option>' in page

    mine = erika_client.get(
        "/staff/audit/", {"person": "staff:erika.muster@tangerhuette.de"}
    ).content.decode()
    assert "Erika Muster hat den Dienst Termine eingeschaltet." in mine
    assert "freigegeben" not in mine

    staff_only = erika_client.get("/staff/audit/", {"action": "staff."}).content.decode()
    assert "ins Team aufgenommen" in staff_only
    assert "eingeschaltet" not in staff_only.split('<ol class="rh-audit', 1)[1]

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    later = erika_client.get("/staff/audit/", {"since": tomorrow.isoformat()}).content.decode()
    assert "Keine Einträge." in later


def test_a_wrong_time_range_is_explained(erika_client: Client) -> None:
    response = erika_client.get("/staff/audit/", {"since": "2026-12-10", "until": "2026-12-01"})

    assert "„Bis“ muss am oder nach „Von“ liegen." in response.content.decode()


def test_the_log_pages_by_fifty_and_keeps_the_filter(
    erika_client: Client, town_a: Municipality
) -> None:
    for i in range(60):
        audit_record(town=town_a, actor=Actor.system(), action="staff.create", target=f"p{i}@x.de")

    first = erika_client.get("/staff/audit/", {"action": "staff."}).content.decode()
    assert "Seite 1 von 2" in first
    assert "?action=staff.&amp;page=2" in first
    second = erika_client.get("/staff/audit/", {"action": "staff.", "page": "2"}).content.decode()
    assert "Seite 2 von 2" in second


def test_names_come_from_the_towns_own_accounts(erika: User, town_b: Municipality) -> None:
    # Another town's log names the same address by what that town knows: nothing.
    audit_record(town=town_b, actor=Actor.staff(erika), action="staff.create", target="n@x.de")

    assert _sentences(town_b) == ["erika.muster@tangerhuette.de hat ein Konto für n@x.de angelegt."]
