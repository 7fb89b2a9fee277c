"""The mobile app's API: the same booking rules and errors as the pages."""

import datetime as dt

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Booking
from tests.factories import UserFactory
from tests.html import api_error_paths

from .conftest import Office, add_location, at, log_in, open_day

API = "/api/v1/appointments"


def test_services_locations_and_free_slots(client_a: Client, office_a: Office) -> None:
    services = client_a.get(f"{API}/services/").json()
    locations = client_a.get(f"{API}/locations/?service={office_a.service.pk}").json()
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

    assert services[0]["name"] == "Personalausweis beantragen"
    assert services[0]["documents"] == ["Altes Ausweisdokument", "Biometrisches Passfoto"]
    assert [loc["name"] for loc in locations] == ["Bürgerbüro"]
    assert slots[0]["free"] == 2
    assert dt.datetime.fromisoformat(slots[0]["start"]) == at(day, 8)


def test_a_guest_books_cancels_with_the_token(client_a: Client, office_a: Office) -> None:
    start = at(open_day(office_a.town), 10)
    created = client_a.post(
        f"{API}/bookings/",
        {
            "service": str(office_a.service.pk),
            "location": str(office_a.location.pk),
            "start": start.isoformat(),
            "name": "Erika",
            "email": "erika@example.org",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    token = created.json()["token"]
    assert created.json()["status"] == "pending"

    moved = client_a.post(
        f"{API}/bookings/{token}/move/",
        {"start": at(open_day(office_a.town), 12).isoformat()},
        content_type="application/json",
    )
    assert moved.status_code == 200
    assert dt.datetime.fromisoformat(moved.json()["start"]) == at(open_day(office_a.town), 12)

    cancelled = client_a.post(f"{API}/bookings/{token}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    again = client_a.post(
        f"{API}/bookings/{token}/move/",
        {"start": start.isoformat()},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert again.json()["code"] == "not_changeable"


def test_errors_have_a_code_and_a_german_message(client_a: Client, office_a: Office) -> None:
    day = open_day(office_a.town)
    body = {"service": office_a.service.pk, "location": office_a.location.pk, "name": "E"}

    def book(start: dt.datetime, email: str) -> tuple[int, dict[str, str]]:
        response = client_a.post(
            f"{API}/bookings/",
            {**body, "start": start.isoformat(), "email": email},
            content_type="application/json",
        )
        return response.status_code, response.json()

    book(at(day, 10), "a@example.org")
    book(at(day, 10), "b@example.org")

    assert book(at(day, 10), "c@example.org") == (
        409,
        {"code": "slot_taken", "detail": book(at(day, 10), "c@example.org")[1]["detail"]},
    )
    assert book(at(day, 20), "c@example.org")[1]["code"] == "outside_hours"
    assert book(at(day + dt.timedelta(days=100), 10), "c@example.org")[1]["code"] == "beyond_window"
    assert book(at(day - dt.timedelta(days=30), 10), "c@example.org")[1]["code"] == "past"
    missing = client_a.post(f"{API}/bookings/", {**body}, content_type="application/json")
    assert missing.status_code == 400
    assert "$.start" in api_error_paths(missing)


def test_a_logged_in_citizen_lists_their_bookings(client_a: Client, office_a: Office) -> None:
    # Not logged in: 401, asking for a bearer token (an app's) or a session.
    stranger = client_a.get(f"{API}/bookings/")
    assert stranger.status_code == 401
    assert stranger["WWW-Authenticate"].startswith("Bearer")
    with tenant_context(office_a.town):
        UserFactory.create(email="app@example.org")
    log_in(client_a, "app@example.org")

    created = client_a.post(
        f"{API}/bookings/",
        {
            "service": str(office_a.service.pk),
            "location": str(office_a.location.pk),
            "start": at(open_day(office_a.town), 9).isoformat(),
        },
        content_type="application/json",
    )

    assert created.status_code == 201
    assert created.json()["status"] == "confirmed"
    mine = client_a.get(f"{API}/bookings/").json()
    assert [b["token"] for b in mine] == [created.json()["token"]]


def test_the_api_is_documented(client_a: Client, office_a: Office) -> None:
    schema = client_a.get("/api/schema/?format=json").json()

    for path in (
        "/services/",
        "/slots/",
        "/bookings/",
        "/bookings/{token}/cancel/",
        "/bookings/{token}/move/",
    ):
        assert f"{API}{path}" in schema["paths"]
    with tenant_context(office_a.town):
        assert not Booking.objects.exists()


def test_the_app_moves_a_booking_to_another_location(client_a: Client, office_a: Office) -> None:
    elsewhere = add_location(office_a)
    day = open_day(office_a.town)
    created = client_a.post(
        f"{API}/bookings/",
        {
            "service": office_a.service.pk,
            "location": office_a.location.pk,
            "start": at(day, 10).isoformat(),
            "name": "Erika",
            "email": "erika@example.org",
        },
        content_type="application/json",
    )
    token = created.json()["token"]

    moved = client_a.post(
        f"{API}/bookings/{token}/move/",
        {"start": at(day, 9).isoformat(), "location": elsewhere.pk},
        content_type="application/json",
    )

    assert moved.status_code == 200, moved.content
    assert moved.json()["location"]["name"] == "Bürgerbüro Lüderitz"
    unknown = client_a.post(
        f"{API}/bookings/{token}/move/",
        {"start": at(day, 9).isoformat(), "location": 999999},
        content_type="application/json",
    )
    assert (unknown.status_code, unknown.json()["code"]) == (400, "not_offered")
