"""The staff API: a clerk's tablet at the counter lists, marks and cancels bookings."""

import datetime as dt

from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Booking
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.messaging.models import OutboxMessage
from tests.factories import UserFactory
from tests.html import api_error_paths

from .conftest import Office, at, log_in, make_clerk, open_day
from .test_staff import _past_booking

API = "/api/v1/appointments/staff"


def test_a_clerk_lists_a_days_bookings_and_marks_a_no_show(
    client_a: Client, office_a: Office
) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    booking = _past_booking(office_a, name="Erika")
    day = timezone.localtime(booking.start).date()

    listed = client_a.get(
        f"{API}/locations/{office_a.location.pk}/bookings/", {"start": day.isoformat()}
    )
    marked = client_a.post(
        f"{API}/bookings/{booking.uuid}/no-show/",
        {"no_show": True},
        content_type="application/json",
    )
    stats = client_a.get(
        f"{API}/locations/{office_a.location.pk}/statistics/", {"start": day.isoformat()}
    )

    assert listed.status_code == 200
    assert [(b["name"], b["status"], b["counter"]) for b in listed.json()] == [
        ("Erika", "confirmed", 1)
    ]
    assert marked.status_code == 200
    assert marked.json()["status"] == "no_show"
    assert stats.json()["by_status"]["no_show"] == 1
    assert stats.json()["no_show_rate"] == 1.0
    with tenant_context(office_a.town):
        assert AuditEntry.objects.filter(action="appointments.no_show").exists()


def test_a_future_booking_cannot_be_a_no_show_and_bad_dates_are_named(
    client_a: Client, office_a: Office
) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with tenant_context(office_a.town):
        booking = Booking.objects.create(
            service=office_a.service,
            location=office_a.location,
            counter=1,
            start=at(tomorrow, 10),
            end=at(tomorrow, 10, 30),
            name="Max",
            email="max@example.org",
        )
    base = f"{API}/locations/{office_a.location.pk}"

    future = client_a.post(
        f"{API}/bookings/{booking.uuid}/no-show/",
        {"no_show": True},
        content_type="application/json",
    )
    garbled = client_a.get(f"{base}/bookings/", {"start": "31.02.2026"})
    backwards = client_a.get(
        f"{base}/bookings/",
        {"start": tomorrow.isoformat(), "end": timezone.localdate().isoformat()},
    )
    too_long = client_a.get(
        f"{base}/bookings/",
        {"start": tomorrow.isoformat(), "end": (tomorrow + dt.timedelta(days=400)).isoformat()},
    )

    assert (future.status_code, future.json()["code"]) == (400, "future")
    assert garbled.status_code == 400
    assert "$.start" in api_error_paths(garbled)
    assert backwards.status_code == 400
    assert "$.end" in api_error_paths(backwards)
    assert too_long.status_code == 400
    assert "62" in api_error_paths(too_long)["$.end"]


def test_a_clerk_cancels_and_the_citizen_is_told(client_a: Client, office_a: Office) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        booking = Booking.objects.create(
            service=office_a.service,
            location=office_a.location,
            counter=1,
            start=at(day, 10),
            end=at(day, 10, 30),
            name="Max",
            email="max@example.org",
        )

    response = client_a.post(f"{API}/bookings/{booking.uuid}/cancel/")

    assert response.json()["status"] == "cancelled"
    with tenant_context(office_a.town):
        assert OutboxMessage.objects.filter(
            context__booking=str(booking.uuid), context__event="cancelled"
        ).exists()
        assert AuditEntry.objects.filter(action="appointments.cancel").exists()


def test_citizens_and_strangers_get_no_staff_api(client_a: Client, office_a: Office) -> None:
    url = f"{API}/locations/{office_a.location.pk}/bookings/"
    assert client_a.get(url).status_code == 403
    with tenant_context(office_a.town):
        UserFactory.create(email="citizen@example.org")
    log_in(client_a, "citizen@example.org")
    assert client_a.get(url).status_code == 403


def test_town_bs_clerk_cannot_reach_town_as_bookings_through_the_api(
    client_b: Client, office_a: Office, office_b: Office
) -> None:
    booking = _past_booking(office_a)
    make_clerk(office_b.town, "clerk-b@example.org")
    log_in(client_b, "clerk-b@example.org")

    listed = client_b.get(f"{API}/locations/{office_a.location.pk}/bookings/")
    own = client_b.get(f"{API}/locations/{office_b.location.pk}/bookings/")
    cancel = client_b.post(f"{API}/bookings/{booking.uuid}/cancel/")

    # Town B's location ids may equal town A's: what matters is that nothing of A shows.
    assert b"e@example.org" not in listed.content + own.content
    assert cancel.status_code == 404
    with tenant_context(office_a.town):
        booking.refresh_from_db()
        assert booking.status == Booking.Status.CONFIRMED


def test_staff_cannot_cancel_what_is_over(client_a: Client, office_a: Office) -> None:
    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    booking = _past_booking(office_a)

    response = client_a.post(f"{API}/bookings/{booking.uuid}/cancel/")

    assert (response.status_code, response.json()["code"]) == (400, "past")
    with tenant_context(office_a.town):
        assert not OutboxMessage.objects.filter(context__booking=str(booking.uuid)).exists()
