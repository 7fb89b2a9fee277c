"""The staff's day and week timetables: per counter and time, booked or free."""

import datetime as dt

from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Booking, OpeningException, OpeningHours
from rathaus.modules.appointments.timetable import day_timetable, week_timetable

from .conftest import Office, at, open_day


def _book(office: Office, day: dt.date, hour: int, minute: int = 0, **fields: object) -> Booking:
    values = {"counter": 1, "name": "Erika Mustermann", "email": "e@example.org", **fields}
    start = at(day, hour, minute)
    with tenant_context(office.town):
        return Booking.objects.create(
            service=office.service,
            location=office.location,
            start=start,
            end=start + dt.timedelta(minutes=office.service.duration_minutes),
            **values,
        )


def test_a_day_shows_each_counter_per_slot_booked_or_free(office_a: Office) -> None:
    day = open_day(office_a.town)
    booking = _book(office_a, day, 10)  # 30 minutes: two 15-minute rows on counter 1

    with tenant_context(office_a.town):
        table = day_timetable(town=office_a.town, location=office_a.location, day=day)

    assert table.counters == [1, 2]
    times = [timezone.localtime(row.start).strftime("%H:%M") for row in table.rows]
    assert times[0] == "08:00"
    assert times[-1] == "17:45"
    assert len(times) == 40
    ten = table.rows[times.index("10:00")]
    quarter_past = table.rows[times.index("10:15")]
    assert ten.cells[0].booking == booking
    assert ten.cells[0].span == 2
    assert quarter_past.cells[0].continues == booking
    assert quarter_past.cells[0].booking is None
    assert (ten.booked, ten.free) == (1, 1)
    assert (quarter_past.booked, quarter_past.free) == (1, 1)
    assert table.rows[0].free == 2
    assert table.booked == 1
    assert table.free == 40 * 2 - 2


def test_cancelled_bookings_free_their_counter_and_are_listed_below(office_a: Office) -> None:
    day = open_day(office_a.town)
    cancelled = _book(office_a, day, 9, status=Booking.Status.CANCELLED)
    no_show = _book(office_a, day, 9, counter=2, status=Booking.Status.NO_SHOW)

    with tenant_context(office_a.town):
        table = day_timetable(town=office_a.town, location=office_a.location, day=day)

    nine = next(row for row in table.rows if timezone.localtime(row.start).hour == 9)
    assert nine.cells[0].free
    assert nine.cells[1].booking == no_show  # a no-show's time was taken all the same
    assert table.not_in_grid == [cancelled]


def test_a_booking_on_a_counter_the_location_no_longer_has_stays_in_the_grid(
    office_a: Office,
) -> None:
    # The location went from three counters to two after someone booked counter 3.
    day = open_day(office_a.town)
    booking = _book(office_a, day, 10, counter=3)

    with tenant_context(office_a.town):
        table = day_timetable(town=office_a.town, location=office_a.location, day=day)
        week = week_timetable(town=office_a.town, location=office_a.location, first=day)

    assert table.counters == [1, 2, 3]
    assert all(len(row.cells) == 3 for row in table.rows)  # a cell under every column
    ten = next(
        row for row in table.rows if timezone.localtime(row.start).strftime("%H:%M") == "10:00"
    )
    assert ten.cells[2].booking == booking
    assert table.not_in_grid == []  # not listed as cancelled or expired
    assert table.booked == 1
    assert sum(cell.booked for row in week.rows for cell in row.cells) == 1


def test_a_guests_lapsed_hold_counts_as_free(office_a: Office) -> None:
    day = open_day(office_a.town)
    _book(
        office_a,
        day,
        11,
        status=Booking.Status.PENDING,
        hold_until=timezone.now() - dt.timedelta(minutes=1),
    )

    with tenant_context(office_a.town):
        table = day_timetable(town=office_a.town, location=office_a.location, day=day)

    eleven = next(row for row in table.rows if timezone.localtime(row.start).hour == 11)
    assert eleven.free == 2


def test_counters_open_only_part_of_the_day_are_closed_at_other_times(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        OpeningHours.objects.filter(location=office_a.location, weekday=day.weekday()).delete()
        OpeningHours.objects.create(
            location=office_a.location, weekday=day.weekday(), opens=dt.time(8), closes=dt.time(12)
        )
        OpeningHours.objects.create(
            location=office_a.location,
            weekday=day.weekday(),
            opens=dt.time(13),
            closes=dt.time(15),
            counters=1,
        )
        table = day_timetable(town=office_a.town, location=office_a.location, day=day)

    by_time = {timezone.localtime(row.start).strftime("%H:%M"): row for row in table.rows}
    assert by_time["09:00"].open_counters == 2
    assert by_time["12:30"].open_counters == 0  # lunch
    assert by_time["13:00"].open_counters == 1
    assert not by_time["13:00"].cells[1].open
    assert "15:00" not in by_time


def test_a_closed_day_says_why(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        OpeningException.objects.create(
            location=office_a.location, date=day, reason="Betriebsausflug"
        )
        table = day_timetable(town=office_a.town, location=office_a.location, day=day)

    assert table.rows == []
    assert table.closed_reason == "Betriebsausflug"


def test_the_week_counts_bookings_and_free_slots_per_hour_and_day(office_a: Office) -> None:
    day = open_day(office_a.town)
    monday = day - dt.timedelta(days=day.weekday())
    _book(office_a, day, 10)
    _book(office_a, day, 10, 30, counter=2)

    with tenant_context(office_a.town):
        week = week_timetable(town=office_a.town, location=office_a.location, first=monday)

    assert [d.day for d in week.days] == [monday + dt.timedelta(days=i) for i in range(7)]
    ten = next(row for row in week.rows if row.hour == dt.time(10))
    cell = ten.cells[day.weekday()]
    # Four 15-minute slots on two counters; 10:00-10:30 on 1 and 10:30-11:00 on 2 taken.
    assert (cell.booked, cell.free) == (2, 4)


def test_the_timetable_shows_only_the_towns_own_bookings(
    office_a: Office, office_b: Office
) -> None:
    day = open_day(office_a.town)
    _book(office_b, day, 10)

    with tenant_context(office_a.town):
        table = day_timetable(town=office_a.town, location=office_a.location, day=day)

    assert table.booked == 0
    assert table.bookings == []
