"""Staff: configuration, day and week views, no-shows, CSV export and statistics."""

import datetime as dt

from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Booking, Location, Service
from rathaus.platform.audit.models import AuditEntry
from tests.factories import UserFactory

from .conftest import Office, at, log_in, make_clerk, open_day


def _past_booking(office: Office, name: str = "Erika") -> Booking:
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with tenant_context(office.town):
        return Booking.objects.create(
            service=office.service,
            location=office.location,
            counter=1,
            start=at(yesterday, 10),
            end=at(yesterday, 10, 30),
            name=name,
            email="e@example.org",
        )


def test_a_clerk_marks_a_no_show_and_it_is_audited(client_a: Client, office_a: Office) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    booking = _past_booking(office_a)
    day = booking.start.astimezone(timezone.get_current_timezone()).date()

    page = client_a.get(f"/staff/appointments/standorte/{office_a.location.pk}/tag/?date={day}")
    assert "Erika" in page.content.decode()
    response = client_a.post(
        f"/staff/appointments/termine/{booking.uuid}/nicht-erschienen/", {"no_show": "1"}
    )

    assert response.status_code == 302
    with tenant_context(office_a.town):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.NO_SHOW
        assert AuditEntry.objects.filter(action="appointments.no_show").exists()


def test_the_week_view_csv_and_statistics(client_a: Client, office_a: Office) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    _past_booking(office_a, name="=HYPERLINK(1)")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    base = f"/staff/appointments/standorte/{office_a.location.pk}"

    week = client_a.get(f"{base}/woche/?date={yesterday}").content.decode()
    csv = client_a.get(f"{base}/export.csv?from={yesterday}&to={yesterday}").content.decode()
    stats = client_a.get(f"{base}/statistik/?from={yesterday}&to={yesterday}").content.decode()

    assert "1 Termin" in week
    lines = csv.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Datum;Beginn;Ende;Schalter;Dienstleistung")
    assert lines[1].startswith(f"{yesterday.isoformat()};10:00;10:30;1;Personalausweis beantragen")
    assert ";'=HYPERLINK(1);" in lines[1]  # no formula in a spreadsheet
    assert "Termine insgesamt" in stats
    assert "Personalausweis beantragen" in stats


def test_a_clerk_configures_a_location_with_hours_and_a_service(
    client_a: Client, office_a: Office
) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    formsets = {
        "hours-TOTAL_FORMS": "1",
        "hours-INITIAL_FORMS": "0",
        "exceptions-TOTAL_FORMS": "1",
        "exceptions-INITIAL_FORMS": "0",
    }

    bad = client_a.post(
        "/staff/appointments/standorte/neu/",
        {
            "name": "Standesamt",
            "counters": "0",
            "slot_minutes_hours": "",
            "slot_minutes_minutes": "15",
            **formsets,
            "hours-0-weekday": "0",
            "hours-0-opens": "12:00",
            "hours-0-closes": "08:00",
        },
    )
    assert bad.status_code == 400
    with tenant_context(office_a.town):
        assert not Location.objects.filter(name="Standesamt").exists()

    good = client_a.post(
        "/staff/appointments/standorte/neu/",
        {
            "name": "Standesamt",
            "counters": "3",
            "slot_minutes_hours": "",
            "slot_minutes_minutes": "20",
            "is_active": "on",
            **formsets,
            "hours-0-weekday": "0",
            "hours-0-opens": "08:00",
            "hours-0-closes": "12:00",
            "exceptions-0-date": open_day(office_a.town).isoformat(),
            "exceptions-0-closed": "on",
            "exceptions-0-reason": "Inventur",
        },
    )
    assert good.status_code == 302
    with tenant_context(office_a.town):
        location = Location.objects.get(name="Standesamt")
        assert location.opening_hours.get().closes == dt.time(12)
        assert location.exceptions.get().reason == "Inventur"
    service = client_a.post(
        "/staff/appointments/dienstleistungen/neu/",
        {
            "name": "Eheschließung anmelden",
            "duration_minutes_hours": "1",
            "duration_minutes_minutes": "0",
            "locations": [location.pk],
            "documents": "Geburtsurkunde",
            "is_active": "on",
        },
    )
    assert service.status_code == 302
    with tenant_context(office_a.town):
        created = Service.objects.get(name="Eheschließung anmelden")
        assert list(created.locations.all()) == [location]
        assert created.duration_minutes == 60
        assert AuditEntry.objects.filter(action="appointments.config.create").count() == 2


def test_citizens_and_other_modules_clerks_get_no_staff_pages(
    client_a: Client, office_a: Office
) -> None:
    with tenant_context(office_a.town):
        UserFactory.create(email="buerger@example.org")
    assert client_a.get("/staff/appointments/").status_code == 302  # to the login
    log_in(client_a, "buerger@example.org")

    assert client_a.get("/staff/appointments/").status_code == 403
    assert (
        client_a.get(f"/staff/appointments/standorte/{office_a.location.pk}/export.csv").status_code
        == 403
    )


def test_only_a_town_admin_sets_the_booking_rules(client_a: Client, office_a: Office) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")

    assert client_a.get("/staff/appointments/regeln/").status_code == 403


def test_a_service_duration_is_asked_in_hours_and_minutes_with_specific_errors(
    client_a: Client, office_a: Office
) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    path = f"/staff/appointments/dienstleistungen/{office_a.service.pk}/"

    form = client_a.get(path).content.decode()
    too_long = client_a.post(
        path,
        {"name": "Personalausweis", "duration_minutes_hours": "9", "duration_minutes_minutes": ""},
    ).content.decode()
    odd = client_a.post(
        path,
        {
            "name": "Personalausweis",
            "duration_minutes_hours": "1",
            "duration_minutes_minutes": "90",
        },
    ).content.decode()

    assert 'name="duration_minutes_hours"' in form
    assert 'name="duration_minutes_minutes" value="30"' in form
    assert "Bitte höchstens 8 Std. angeben." in too_long
    assert "Die Minuten müssen zwischen 0 und 59 liegen" in odd
    with tenant_context(office_a.town):
        assert Service.objects.get(pk=office_a.service.pk).duration_minutes == 30
