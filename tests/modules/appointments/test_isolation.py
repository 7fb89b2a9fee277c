"""One town's services and bookings are invisible and unchangeable on another town's host."""

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Booking
from rathaus.modules.appointments.services import Citizen, appointment_book
from rathaus.modules.appointments.tokens import manage_token

from .conftest import Office, at, log_in, make_clerk, open_day

API = "/api/v1/appointments"


def _booking_in(office: Office) -> tuple[Booking, str]:
    with tenant_context(office.town):
        booking = appointment_book(
            town=office.town,
            service=office.service,
            location=office.location,
            start=at(open_day(office.town), 10),
            citizen=Citizen("A", "a@example.org"),
        )
        return booking, manage_token(booking)


def test_town_bs_pages_and_api_show_only_its_own_services(
    client_b: Client, office_a: Office, office_b: Office
) -> None:
    names = [s["name"] for s in client_b.get(f"{API}/services/").json()]
    locations = [loc["name"] for loc in client_b.get(f"{API}/locations/").json()]

    assert locations == ["Bürgerbüro Irxleben"]
    assert len(names) == 1
    if office_a.service.pk != office_b.service.pk:
        assert client_b.get(f"/appointments/{office_a.service.pk}/").status_code == 404


def test_a_link_from_town_a_opens_nothing_on_town_b(
    client_b: Client, office_a: Office, office_b: Office
) -> None:
    booking, token = _booking_in(office_a)

    assert client_b.get(f"/appointments/termin/{token}/").status_code == 404
    assert client_b.post(f"/appointments/termin/{token}/absagen/").status_code == 404
    assert client_b.post(f"{API}/bookings/{token}/cancel/").status_code == 404
    with tenant_context(office_a.town):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.PENDING


def test_town_bs_clerk_cannot_see_or_change_town_as_bookings(
    client_b: Client, office_a: Office, office_b: Office
) -> None:
    booking, _ = _booking_in(office_a)
    make_clerk(office_b.town, "clerk-b@example.org")
    log_in(client_b, "clerk-b@example.org")

    day = client_b.get(f"/staff/appointments/standorte/{office_b.location.pk}/woche/").content
    cancel = client_b.post(f"/staff/appointments/termine/{booking.uuid}/absagen/")

    assert b"a@example.org" not in day
    assert cancel.status_code == 404
    with tenant_context(office_a.town):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.PENDING


def test_town_as_free_times_are_not_taken_by_town_bs_bookings(
    client_a: Client, office_a: Office, office_b: Office
) -> None:
    _booking_in(office_b)
    _booking_in(office_b)
    day = open_day(office_a.town)

    slots = client_a.get(
        f"{API}/slots/",
        {
            "service": str(office_a.service.pk),
            "location": str(office_a.location.pk),
            "start": day.isoformat(),
            "days": "1",
        },
    ).json()

    assert {s["start"][11:16]: s["free"] for s in slots}["10:00"] == 2
