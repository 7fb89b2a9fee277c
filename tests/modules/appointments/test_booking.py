"""Booking through the service: free times, capacity, and a clear error for every bad time."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Booking, Location, OpeningException, Service
from rathaus.modules.appointments.selectors import free_slots
from rathaus.modules.appointments.services import (
    BookingError,
    Citizen,
    SlotTakenError,
    appointment_book,
    appointment_cancel,
    appointment_move,
)
from rathaus.modules.services import module_configure
from rathaus.platform.holidays import public_holidays
from rathaus.tenants.models import FederalState
from tests.factories import UserFactory

from .conftest import CITIZEN, SYSTEM, Office, add_location, at, open_day, send_queued_mail


def _book(
    office: Office,
    start: dt.datetime,
    who: Citizen = CITIZEN,
    *,
    location: Location | None = None,
    **kw: object,
) -> Booking:
    return appointment_book(
        town=office.town,
        service=office.service,
        location=location or office.location,
        start=start,
        citizen=who,
        **kw,  # type: ignore[arg-type]
    )


def test_free_slots_follow_opening_hours_and_shrink_as_counters_fill(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        slots = free_slots(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=day,
            days=1,
        )
        # 08:00 to 17:30 (the last 30-minute slot ends at closing), every 15 minutes.
        assert [s.start.strftime("%H:%M") for s in slots][:3] == ["08:00", "08:15", "08:30"]
        assert slots[-1].start.strftime("%H:%M") == "17:30"
        assert {s.free for s in slots} == {2}

        _book(office_a, at(day, 9), Citizen("A", "a@example.org"))
        _book(office_a, at(day, 9), Citizen("B", "b@example.org"))

        free = {
            s.start.strftime("%H:%M"): s.free
            for s in free_slots(
                town=office_a.town,
                service=office_a.service,
                location=office_a.location,
                start=day,
                days=1,
            )
        }
        # 09:00 and the 30-minute slots overlapping it (08:45, 09:15) are full.
        assert "09:00" not in free
        assert "08:45" not in free
        assert "09:15" not in free
        assert free["08:30"] == 2
        assert free["09:30"] == 2


def test_holidays_of_the_towns_land_are_closed(office_a: Office) -> None:
    # Reformation Day is a public holiday in Sachsen-Anhalt (AGS 15...), not in Bavaria.
    today = timezone.localdate()
    reformation = dt.date(today.year, 10, 31)
    if reformation <= today + dt.timedelta(days=1):
        reformation = dt.date(today.year + 1, 10, 31)
    assert reformation in public_holidays(
        state=FederalState.SACHSEN_ANHALT, start=reformation, end=reformation
    )
    assert reformation not in public_holidays(
        state=FederalState.BAYERN, start=reformation, end=reformation
    )
    module_configure(
        town=office_a.town,
        key="appointments",
        settings={"booking_horizon_days": 365},
        actor=SYSTEM,
    )
    with tenant_context(office_a.town):
        with pytest.raises(BookingError) as error:
            _book(office_a, at(reformation, 10))
        assert error.value.code == "closed"
        assert "Reformationstag" in error.value.message


def test_a_closing_day_and_special_hours_replace_the_weekly_hours(office_a: Office) -> None:
    day = open_day(office_a.town)
    later = open_day(office_a.town, days_ahead=5)
    with tenant_context(office_a.town):
        OpeningException.objects.create(
            location=office_a.location, date=day, reason="Betriebsausflug"
        )
        OpeningException.objects.create(
            location=office_a.location,
            date=later,
            closed=False,
            opens=dt.time(14),
            closes=dt.time(15),
        )
        with pytest.raises(BookingError, match="Betriebsausflug") as error:
            _book(office_a, at(day, 10))
        assert error.value.code == "closed"
        slots = free_slots(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=later,
            days=1,
        )
        assert [s.start.strftime("%H:%M") for s in slots] == ["14:00", "14:15", "14:30"]


@pytest.mark.parametrize(
    ("when", "code"),
    [
        (lambda day: timezone.now() - dt.timedelta(hours=1), "past"),
        (lambda day: timezone.now() + dt.timedelta(minutes=30), "too_short_notice"),
        (lambda day: at(day + dt.timedelta(days=60), 10), "beyond_window"),
        (lambda day: at(day, 19), "outside_hours"),
        (lambda day: at(day, 7, 45), "outside_hours"),
        (lambda day: at(day, 17, 45), "outside_hours"),  # would end after closing
        (lambda day: at(day, 10, 5), "outside_hours"),  # not on the 15-minute grid
    ],
)
def test_a_bad_time_is_refused_with_a_reason(office_a: Office, when: object, code: str) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        with pytest.raises(BookingError) as error:
            _book(office_a, when(day))  # type: ignore[operator]
        assert error.value.code == code
        assert error.value.message
        assert not Booking.objects.exists()


def test_a_full_time_is_refused_as_taken(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        _book(office_a, at(day, 10), Citizen("A", "a@example.org"))
        _book(office_a, at(day, 10), Citizen("B", "b@example.org"))
        with pytest.raises(SlotTakenError) as error:
            _book(office_a, at(day, 10, 15), Citizen("C", "c@example.org"))
        assert error.value.code == "slot_taken"
        assert "schon vergeben" in error.value.message
        assert Booking.objects.count() == 2


def test_a_service_not_offered_at_a_location_cannot_be_booked(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        elsewhere = Location.objects.create(name="Standesamt")
        with pytest.raises(BookingError, match="nicht angeboten"):
            appointment_book(
                town=office_a.town,
                service=office_a.service,
                location=elsewhere,
                start=at(day, 10),
                citizen=CITIZEN,
            )
        inactive = Service.objects.create(name="Alt", is_active=False)
        inactive.locations.add(office_a.location)
        with pytest.raises(BookingError) as error:
            appointment_book(
                town=office_a.town,
                service=inactive,
                location=office_a.location,
                start=at(day, 10),
                citizen=CITIZEN,
            )
        assert error.value.code == "not_offered"


def test_one_person_cannot_hoard_times(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        for hour in (9, 10, 11):
            _book(office_a, at(day, hour))
        with pytest.raises(BookingError) as error:
            _book(office_a, at(day, 12), Citizen("Erika", "ERIKA@example.org"))
        assert error.value.code == "too_many"


def test_cancelling_frees_the_counter_and_moving_keeps_the_old_time_on_failure(
    office_a: Office,
) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        first = _book(office_a, at(day, 10), Citizen("A", "a@example.org"))
        _book(office_a, at(day, 10), Citizen("B", "b@example.org"))
        mine = _book(office_a, at(day, 11), Citizen("C", "c@example.org"))

        with pytest.raises(SlotTakenError):
            appointment_move(town=office_a.town, booking=mine, start=at(day, 10))
        mine.refresh_from_db()
        assert mine.start == at(day, 11)

        appointment_cancel(town=office_a.town, booking=first)
        moved = appointment_move(town=office_a.town, booking=mine, start=at(day, 10))
        assert moved.start == at(day, 10)
        assert moved.end == at(day, 10, 30)


def test_an_unconfirmed_guest_hold_runs_out_and_frees_the_place(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        _book(office_a, at(day, 10), Citizen("A", "a@example.org"), user=None)
        _book(office_a, at(day, 10), Citizen("B", "b@example.org"), user=None)
        later = timezone.now() + dt.timedelta(hours=1)
        # An hour later both holds ran out: the time can be booked again.
        third = _book(office_a, at(day, 10), Citizen("C", "c@example.org"), now=later)
        assert third.status == Booking.Status.PENDING
        assert Booking.objects.filter(status=Booking.Status.EXPIRED).count() == 2


def test_the_database_refuses_a_second_booking_on_one_counter(office_a: Office) -> None:
    """Even code that skips the service cannot overbook: the constraint is in PostgreSQL."""
    from django.db import IntegrityError, transaction

    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        booking = _book(office_a, at(day, 10))
        with pytest.raises(IntegrityError), transaction.atomic():
            Booking.objects.create(
                service=office_a.service,
                location=office_a.location,
                counter=booking.counter,
                start=at(day, 10, 15),
                end=at(day, 10, 45),
                name="X",
                email="x@example.org",
            )


def test_a_booking_moves_to_another_location_and_service_or_stays_where_it_was(
    office_a: Office,
) -> None:
    day = open_day(office_a.town)
    elsewhere = add_location(office_a, counters=1)
    with tenant_context(office_a.town):
        passport = Service.objects.create(name="Reisepass beantragen", duration_minutes=45)
        passport.locations.add(elsewhere)
        user = UserFactory.create(email="c@example.org")
        mine = _book(office_a, at(day, 10), Citizen("C", "c@example.org"), user=user)
        _book(office_a, at(day, 11), Citizen("D", "d@example.org"), location=elsewhere)

        # The other place is full at 11:00: the booking keeps its time and place.
        with pytest.raises(SlotTakenError):
            appointment_move(
                town=office_a.town, booking=mine, start=at(day, 11), location=elsewhere
            )
        mine.refresh_from_db()
        assert (mine.location, mine.start) == (office_a.location, at(day, 10))

        # A service the place does not offer is refused with a reason.
        with pytest.raises(BookingError) as refused:
            appointment_move(
                town=office_a.town,
                booking=mine,
                start=at(day, 14),
                service=passport,
                location=office_a.location,
            )
        assert refused.value.code == "not_offered"

        moved = appointment_move(
            town=office_a.town,
            booking=mine,
            start=at(day, 14),
            location=elsewhere,
            service=passport,
        )
        assert (moved.location, moved.service, moved.start, moved.end) == (
            elsewhere,
            passport,
            at(day, 14),
            at(day, 14, 45),
        )
        # Its old counter at the first place is free again.
        assert _book(office_a, at(day, 10), Citizen("E", "e@example.org")).location == (
            office_a.location
        )
    moved_mails = [m for m in send_queued_mail(office_a.town) if "verschoben" in m.subject]
    assert len(moved_mails) == 1
    assert "Bürgerbüro Lüderitz" in str(moved_mails[0].body)


def test_moving_back_to_an_earlier_time_mails_again(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        user = UserFactory.create(email="c@example.org")
        mine = _book(office_a, at(day, 10), Citizen("C", "c@example.org"), user=user)
        appointment_move(town=office_a.town, booking=mine, start=at(day, 11))
        appointment_move(town=office_a.town, booking=mine, start=at(day, 10))
    assert len([m for m in send_queued_mail(office_a.town) if "verschoben" in m.subject]) == 2


def test_a_guest_who_moves_before_confirming_gets_the_confirmation_link_again(
    office_a: Office,
) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        mine = _book(office_a, at(day, 10), Citizen("G", "g@example.org"))
        appointment_move(town=office_a.town, booking=mine, start=at(day, 11))
        # An hour later the hold has run out: the booking cannot be moved any more.
        with pytest.raises(BookingError) as refused:
            appointment_move(
                town=office_a.town,
                booking=mine,
                start=at(day, 12),
                now=timezone.now() + dt.timedelta(hours=1),
            )
    assert refused.value.code == "not_changeable"
    requests = [m for m in send_queued_mail(office_a.town) if "bestätigen" in m.subject]
    assert len(requests) == 2
    assert "/appointments/bestaetigen/" in str(requests[-1].body)
    assert "11:00" in str(requests[-1].body)
