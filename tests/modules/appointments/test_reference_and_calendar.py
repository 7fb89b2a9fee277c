"""What the citizen takes away from a booking: a reference number, a calendar file, a map link."""

import datetime as dt
import re

import icalendar
import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments import references, services
from rathaus.modules.appointments.messages import calendar_file
from rathaus.modules.appointments.models import Booking
from rathaus.modules.appointments.references import reference_normalise
from rathaus.modules.appointments.selectors import local_zone
from rathaus.modules.appointments.tokens import manage_token

from .conftest import CITIZEN, Office, at, log_in, make_clerk, open_day, send_queued_mail

REFERENCE = re.compile(r"^T-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{2}$")


def _book(office: Office, hour: int = 10, *, day: dt.date | None = None) -> Booking:
    with tenant_context(office.town):
        return services.appointment_book(
            town=office.town,
            service=office.service,
            location=office.location,
            start=at(day or open_day(office.town), hour),
            citizen=CITIZEN,
        )


def _token(office: Office, booking: Booking) -> str:
    with tenant_context(office.town):
        return manage_token(booking)


def test_every_booking_has_a_short_unambiguous_reference_number(office_a: Office) -> None:
    first, second = _book(office_a, 10), _book(office_a, 11)

    assert REFERENCE.match(first.reference), first.reference
    assert first.reference != second.reference
    with tenant_context(office_a.town):
        assert Booking.objects.get(pk=first.pk).reference == first.reference
    for lookalike in "01OILU":
        assert lookalike not in references.ALPHABET


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("T-7KQ4-2M", "T-7KQ4-2M"),
        ("t-7kq4-2m", "T-7KQ4-2M"),
        (" T 7KQ4 2M ", "T-7KQ4-2M"),
        ("7KQ42M", "T-7KQ4-2M"),
        ("T–7KQ4–2M", "T-7KQ4-2M"),
        ("T-7KQ4-2O", None),
        ("T-7KQ4", None),
        ("", None),
    ],
)
def test_a_reference_number_is_read_however_it_is_typed(typed: str, stored: str | None) -> None:
    assert reference_normalise(typed) == stored


def test_a_reference_number_drawn_twice_in_a_town_is_drawn_again(
    office_a: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    taken = _book(office_a, 10).reference
    draws = iter([taken, taken, "T-WXYZ-23"])
    monkeypatch.setattr(services, "reference_new", lambda: next(draws))

    booking = _book(office_a, 12)

    assert booking.reference == "T-WXYZ-23"
    with tenant_context(office_a.town):
        assert Booking.objects.filter(reference=taken).count() == 1


def test_the_same_reference_number_may_exist_in_another_town(
    office_a: Office, office_b: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "reference_new", lambda: "T-SAME-22")

    assert _book(office_a).reference == _book(office_b).reference == "T-SAME-22"


def test_the_booking_page_shows_the_reference_a_calendar_file_and_the_map(
    client_a: Client, office_a: Office
) -> None:
    booking = _book(office_a)
    token = _token(office_a, booking)

    html = client_a.get(f"/appointments/termin/{token}/").content.decode()

    assert booking.reference in html
    assert f"/appointments/termin/{token}/termin.ics" in html
    assert (
        "https://www.openstreetmap.org/search?query=Bahnhofstra%C3%9Fe+1%2C+39517+Tangerh%C3%BCtte"
        in html
    )


def test_the_calendar_file_is_in_berlin_time_and_names_the_place(
    client_a: Client, office_a: Office
) -> None:
    day = open_day(office_a.town)
    booking = _book(office_a, 10, day=day)

    response = client_a.get(f"/appointments/termin/{_token(office_a, booking)}/termin.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert f'filename="termin-{booking.reference}.ics"' in response["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Berlin"
    assert (start.date(), start.hour, start.minute) == (day, 10, 0)
    assert start == booking.start
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"
    assert "Bahnhofstraße 1, 39517 Tangerhütte" in str(event["location"])
    assert booking.reference in str(event["description"])


@pytest.mark.parametrize(("month", "zone_name"), [(1, "CET"), (7, "CEST")])
def test_the_calendar_keeps_local_time_in_winter_and_summer(
    office_a: Office, month: int, zone_name: str
) -> None:
    start = dt.datetime(2027, month, 6, 10, tzinfo=local_zone())
    booking = Booking(
        service=office_a.service,
        location=office_a.location,
        start=start,
        end=start + dt.timedelta(minutes=30),
        counter=1,
    )

    text = calendar_file(town=office_a.town, booking=booking).decode()

    assert f"DTSTART;TZID=Europe/Berlin:2027{month:02}06T100000" in text
    assert f"TZNAME:{zone_name}" in text


def test_a_cancelled_booking_downloads_as_a_cancellation(
    client_a: Client, office_a: Office
) -> None:
    booking = _book(office_a)
    with tenant_context(office_a.town):
        services.appointment_cancel(town=office_a.town, booking=booking)

    response = client_a.get(f"/appointments/termin/{_token(office_a, booking)}/termin.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["method"] == "CANCEL"
    assert calendar.walk("VEVENT")[0]["status"] == "CANCELLED"


def test_a_calendar_link_of_one_town_opens_nothing_on_another(
    client_b: Client, office_a: Office, office_b: Office
) -> None:
    booking = _book(office_a)
    token = _token(office_a, booking)

    assert client_b.get(f"/appointments/termin/{token}/termin.ics").status_code == 404
    assert client_b.get(f"/appointments/termin/{token}/").status_code == 404


def test_the_booking_email_names_the_reference_number(office_a: Office) -> None:
    booking = _book(office_a)

    (email,) = send_queued_mail(office_a.town)

    assert f"Buchungsnummer: {booking.reference}" in email.body


def test_staff_find_a_booking_by_the_reference_number_a_citizen_quotes(
    client_a: Client, office_a: Office
) -> None:
    booking = _book(office_a)
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    day = timezone.localtime(booking.start).date()
    typed = booking.reference.lower().replace("-", " ")

    response = client_a.get("/staff/appointments/suche/", {"reference": typed})

    assert response.status_code == 302
    assert response["Location"] == (
        f"/staff/appointments/standorte/{office_a.location.pk}/tag/"
        f"?date={day.isoformat()}#booking-{booking.uuid}"
    )
    # The day's timetable has the booking at that anchor, with its number.
    page = client_a.get(response["Location"]).content.decode()
    assert f'id="booking-{booking.uuid}"' in page
    assert booking.reference in page
    unknown = client_a.get("/staff/appointments/suche/", {"reference": "T-2222-22"})
    assert "Zu dieser Buchungsnummer gibt es keinen Termin." in unknown.content.decode()
    garbled = client_a.get("/staff/appointments/suche/", {"reference": "12"})
    assert "Eine Buchungsnummer sieht so aus: T-7KQ4-2M" in garbled.content.decode()


def test_a_reference_number_of_one_town_finds_nothing_on_another(
    client_b: Client, office_a: Office, office_b: Office
) -> None:
    booking = _book(office_a)
    make_clerk(office_b.town, email="clerk-b@example.org")
    log_in(client_b, "clerk-b@example.org")

    response = client_b.get("/staff/appointments/suche/", {"reference": booking.reference})

    assert response.status_code == 200
    assert "Zu dieser Buchungsnummer gibt es keinen Termin." in response.content.decode()


def test_the_back_office_menu_leads_a_clerk_to_the_search(
    client_a: Client, office_a: Office
) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")

    html = client_a.get("/staff/", follow=True).content.decode()

    assert 'href="/staff/appointments/suche/"' in html
    assert "Termin nach Buchungsnummer suchen" in html
