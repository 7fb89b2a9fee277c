"""The staff's timetables: a day per counter (Schalter), a week per hour, with free capacity.

Reads only; one query for the bookings of the range and the opening plan the
booking pages use (weekly hours, exceptions, public holidays), so what the
timetable calls free is what a citizen can book (minus the notice period).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from rathaus.tenants.models import Municipality

from .models import Booking, Location
from .selectors import DayPlan, bookings_between, local_zone, opening_plan


def _holds_counter(booking: Booking, now: dt.datetime) -> bool:
    """Whether the booking takes its counter's time (a guest's lapsed hold does not)."""
    if booking.status not in Booking.LIVE:
        return False
    return not (
        booking.status == Booking.Status.PENDING
        and booking.hold_until is not None
        and booking.hold_until < now
    )


@dataclass
class TimetableCell:
    """One counter at one time: closed, free, the start of a booking, or taken by one."""

    counter: int
    open: bool
    booking: Booking | None = None
    # The booking that started earlier and still takes this time ("continues").
    continues: Booking | None = None
    # Rows the booking spans from here (for rowspan), 1 for everything else.
    span: int = 1

    @property
    def free(self) -> bool:
        return self.open and self.booking is None and self.continues is None


@dataclass
class TimetableRow:
    start: dt.datetime
    end: dt.datetime
    cells: list[TimetableCell]

    @property
    def open_counters(self) -> int:
        return sum(1 for cell in self.cells if cell.open)

    @property
    def booked(self) -> int:
        return sum(1 for cell in self.cells if cell.booking or cell.continues)

    @property
    def free(self) -> int:
        return sum(1 for cell in self.cells if cell.free)


@dataclass
class DayTimetable:
    """A location's day: rows of ``slot_minutes`` with one cell per counter."""

    day: dt.date
    location: Location
    counters: list[int]
    rows: list[TimetableRow]
    closed_reason: str
    # Every booking of the day in time order, cancelled and expired ones included.
    bookings: list[Booking] = field(default_factory=list)

    @property
    def booked(self) -> int:
        """Bookings that take a counter this day (a no-show's time counts as taken)."""
        return len(self._in_grid)

    @property
    def free(self) -> int:
        """Free places: free counter slots of the day."""
        return sum(row.free for row in self.rows)

    @property
    def not_in_grid(self) -> list[Booking]:
        """Cancelled and expired bookings, which take no counter: listed below the grid."""
        return [b for b in self.bookings if b not in self._in_grid]

    @property
    def _in_grid(self) -> list[Booking]:
        return [cell.booking for row in self.rows for cell in row.cells if cell.booking]


def _counter_open(plan: DayPlan, start: dt.datetime, end: dt.datetime, counter: int) -> bool:
    return any(
        period.opens <= start and end <= period.closes and counter <= period.counters
        for period in plan.periods
    )


def _grid(
    *,
    location: Location,
    plan: DayPlan,
    bookings: list[Booking],
    counters: list[int],
    now: dt.datetime,
) -> list[TimetableRow]:
    zone = local_zone()
    step = dt.timedelta(minutes=location.slot_minutes)
    live = [b for b in bookings if _holds_counter(b, now)]
    edges = [p.opens for p in plan.periods] + [p.closes for p in plan.periods]
    edges += [b.start for b in live] + [b.end for b in live]
    if not edges:
        return []
    day_start = dt.datetime.combine(plan.day, dt.time.min, zone)
    first, last = min(edges), max(edges)
    # Rows lie on the location's grid counted from midnight, so 08:00 stays 08:00.
    offset = (first - day_start) // step
    t = day_start + offset * step
    rows: list[TimetableRow] = []
    started: dict[int, Booking] = {}
    while t < last:
        end = t + step
        cells = []
        for counter in counters:
            cell = TimetableCell(counter, _counter_open(plan, t, end, counter))
            for booking in live:
                if booking.counter != counter or not (booking.start < end and booking.end > t):
                    continue
                if started.get(counter) is booking:
                    cell.continues = booking
                else:
                    cell.booking = booking
                    started[counter] = booking
                    cell.span = max(1, -(-(booking.end - t) // step))
                break
            cells.append(cell)
        rows.append(TimetableRow(t, end, cells))
        t = end
    return rows


def day_timetable(
    *, town: Municipality, location: Location, day: dt.date, now: dt.datetime | None = None
) -> DayTimetable:
    """``location``'s ``day`` as a timetable: per slot and counter, free or booked."""
    now = now or timezone.now()
    plan = opening_plan(town=town, location=location, start=day, end=day)[0]
    bookings = list(bookings_between(location=location, start=day, end=day))
    counters = _counters(location, bookings)
    rows = _grid(location=location, plan=plan, bookings=bookings, counters=counters, now=now)
    return DayTimetable(day, location, counters, rows, plan.closed_reason, bookings)


def _counters(location: Location, bookings: list[Booking]) -> list[int]:
    """The location's counters, and any it no longer has that a booking still holds
    (the location was given fewer counters after people booked): a column each."""
    extra = sorted({b.counter for b in bookings if b.counter > location.counters})
    return [*range(1, location.counters + 1), *extra]


@dataclass
class WeekCell:
    """One hour of one day: the bookings that begin in it and the free counter slots."""

    day: dt.date
    booked: int
    free: int
    open: bool


@dataclass
class WeekRow:
    hour: dt.time
    cells: list[WeekCell]


@dataclass
class WeekTimetable:
    first: dt.date
    days: list[DayTimetable]
    rows: list[WeekRow]


def week_timetable(
    *, town: Municipality, location: Location, first: dt.date, now: dt.datetime | None = None
) -> WeekTimetable:
    """Seven days from ``first``, per hour: bookings beginning then, free counter slots."""
    now = now or timezone.now()
    last = first + dt.timedelta(days=6)
    plans = opening_plan(town=town, location=location, start=first, end=last)
    by_day: dict[dt.date, list[Booking]] = {plan.day: [] for plan in plans}
    zone = local_zone()
    for booking in bookings_between(location=location, start=first, end=last):
        by_day[timezone.localtime(booking.start, zone).date()].append(booking)
    days = []
    for plan in plans:
        counters = _counters(location, by_day[plan.day])
        rows = _grid(
            location=location, plan=plan, bookings=by_day[plan.day], counters=counters, now=now
        )
        days.append(
            DayTimetable(plan.day, location, counters, rows, plan.closed_reason, by_day[plan.day])
        )
    hours = sorted({timezone.localtime(row.start, zone).hour for day in days for row in day.rows})
    week_rows = []
    for hour in hours:
        cells = []
        for day in days:
            in_hour = [r for r in day.rows if timezone.localtime(r.start, zone).hour == hour]
            booked = sum(1 for row in in_hour for cell in row.cells if cell.booking is not None)
            cells.append(
                WeekCell(
                    day.day,
                    booked,
                    sum(row.free for row in in_hour),
                    any(row.open_counters for row in in_hour),
                )
            )
        week_rows.append(WeekRow(dt.time(hour), cells))
    return WeekTimetable(first, days, week_rows)
