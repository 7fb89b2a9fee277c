"""Reads: booking rules, opening periods, free slots, bookings for citizens and staff."""

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.modules.models import ModuleActivation
from rathaus.modules.selectors import module_activation
from rathaus.platform.holidays import public_holidays
from rathaus.tenants.models import Municipality

from .errors import BookingError
from .models import Booking, Location, OpeningException, OpeningHours, Service
from .references import reference_normalise


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class Rules:
    """The town's booking rules: the module's settings, defaults from ``AppointmentSettings``."""

    booking_horizon_days: int
    min_notice_minutes: int
    cancel_notice_minutes: int
    guest_hold_minutes: int
    max_open_bookings: int
    reminders: bool

    @classmethod
    def from_settings(cls, stored: dict[str, Any] | None) -> "Rules":
        values = {**_default_settings(), **(stored or {})}
        return cls(**{name: values[name] for name in cls.__dataclass_fields__})

    def earliest(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(minutes=self.min_notice_minutes)

    def last_day(self, now: dt.datetime) -> dt.date:
        return timezone.localtime(now, local_zone()).date() + dt.timedelta(
            days=self.booking_horizon_days
        )


@lru_cache(maxsize=1)
def _default_settings() -> dict[str, Any]:
    from .module import Appointments

    return Appointments.default_settings()


def booking_rules(*, town: Municipality) -> Rules:
    return Rules.from_settings(module_activation(town=town, key="appointments").settings)


@dataclass(frozen=True)
class Period:
    """A stretch of time a location takes appointments, with the counters open then."""

    opens: dt.datetime
    closes: dt.datetime
    counters: int


@dataclass(frozen=True)
class DayPlan:
    day: dt.date
    periods: tuple[Period, ...]
    closed_reason: str = ""


# Rows the opening plan is built from, as plain tuples (no model instances on the hot paths).
HoursRow = tuple[int, dt.time, dt.time, int | None]  # weekday, opens, closes, counters
ExceptionRow = tuple[dt.date, bool, dt.time | None, dt.time | None, str]  # date, closed, ...


def _hours_rows(location: Location) -> list[HoursRow]:
    return list(
        OpeningHours.objects.filter(location=location).values_list(
            "weekday", "opens", "closes", "counters"
        )
    )


def _exception_rows(location: Location, start: dt.date, end: dt.date) -> list[ExceptionRow]:
    return list(
        OpeningException.objects.filter(
            Q(location=location) | Q(location__isnull=True), date__gte=start, date__lte=end
        ).values_list("date", "closed", "opens", "closes", "reason")
    )


def _day_plans(
    *,
    location: Location,
    hours: list[HoursRow],
    exceptions: list[ExceptionRow],
    holiday_names: dict[dt.date, str],
    start: dt.date,
    end: dt.date,
) -> list[DayPlan]:
    zone = local_zone()
    weekly: dict[int, list[HoursRow]] = defaultdict(list)
    for hours_row in sorted(hours, key=lambda row: row[1]):
        weekly[hours_row[0]].append(hours_row)
    by_date: dict[dt.date, list[ExceptionRow]] = defaultdict(list)
    for exception_row in exceptions:
        by_date[exception_row[0]].append(exception_row)

    plans = []
    day = start
    while day <= end:
        periods: list[Period] = []
        reason = ""
        day_exceptions = by_date.get(day)
        if day_exceptions:
            closing = [row for row in day_exceptions if row[1]]
            if closing:
                reason = closing[0][4] or _("geschlossen")
            else:
                for _date, _closed, opens, closes, _reason in day_exceptions:
                    if opens is None or closes is None:
                        continue  # the check constraint rules this out
                    periods.append(
                        Period(
                            dt.datetime.combine(day, opens, zone),
                            dt.datetime.combine(day, closes, zone),
                            location.counters,
                        )
                    )
        elif day in holiday_names:
            reason = holiday_names[day]
        else:
            for _weekday, opens, closes, counters in weekly.get(day.weekday(), []):
                periods.append(
                    Period(
                        dt.datetime.combine(day, opens, zone),
                        dt.datetime.combine(day, closes, zone),
                        min(counters or location.counters, location.counters),
                    )
                )
        plans.append(DayPlan(day, tuple(periods), reason))
        day += dt.timedelta(days=1)
    return plans


def opening_plan(
    *, town: Municipality, location: Location, start: dt.date, end: dt.date
) -> list[DayPlan]:
    """Each day from ``start`` to ``end`` (inclusive): its opening periods, or why it is closed.

    An exception for the date wins over the weekly hours; a public holiday of
    the town's Land closes the location unless an exception opens it.
    """
    return _day_plans(
        location=location,
        hours=_hours_rows(location),
        exceptions=_exception_rows(location, start, end),
        holiday_names=public_holidays(state=town.state, start=start, end=end),
        start=start,
        end=end,
    )


@dataclass(frozen=True)
class BookingFacts:
    """Everything a booking of one service, location and time is checked against."""

    rules: Rules
    offered: bool
    plan: DayPlan
    open_bookings: int
    # Counters a committed live booking holds at the wanted time: when these
    # are all the counters open then, the time is taken without trying.
    busy_counters: frozenset[int]


@lru_cache(maxsize=1)
def _booking_facts_sql() -> str:
    through = Service.locations.through._meta.db_table
    return f"""
        SELECT
          (SELECT settings::text FROM {ModuleActivation._meta.db_table}
            WHERE town_id = %(town)s AND module = 'appointments'),
          EXISTS (SELECT 1 FROM {through}
                   WHERE service_id = %(service)s AND location_id = %(location)s),
          (SELECT coalesce(json_agg(json_build_array(opens, closes, counters)), '[]')::text
             FROM {OpeningHours._meta.db_table}
            WHERE location_id = %(location)s AND weekday = %(weekday)s),
          (SELECT coalesce(json_agg(json_build_array(closed, opens, closes, reason)), '[]')::text
             FROM {OpeningException._meta.db_table}
            WHERE (location_id = %(location)s OR location_id IS NULL) AND date = %(day)s),
          (SELECT count(*) FROM {Booking._meta.db_table}
            WHERE (email = %(email)s OR user_id = %(user)s)
              AND status IN ('pending', 'confirmed') AND start > %(now)s
              AND NOT (status = 'pending' AND hold_until < %(now)s)),
          ARRAY(SELECT DISTINCT counter FROM {Booking._meta.db_table}
                 WHERE location_id = %(location)s AND id <> %(exclude)s
                   AND {Booking.HOLDS_COUNTER_SQL.format(b="")}
                   AND NOT (status = 'pending' AND hold_until < %(now)s))
    """  # noqa: S608 - table names are the models' own; values are parameters


def booking_facts(
    *,
    town: Municipality,
    service: Service,
    location: Location,
    start: dt.datetime,
    end: dt.datetime,
    email: str,
    user: Any,
    now: dt.datetime,
    exclude: int = 0,
) -> BookingFacts:
    """The town's rules, whether ``location`` offers ``service``, the opening plan of the
    day of ``start``, how many open bookings ``email``/``user`` hold, and the counters
    busy from ``start`` to ``end`` (leaving out booking ``exclude``), in one round trip.

    Booking is the hottest write of the product (a town opening new times gets
    hundreds of clicks at once), so the five reads a booking is checked against
    are one statement rather than five ORM queries. A guest's hold that ran
    out unconfirmed is not an open booking.
    """
    sql = _booking_facts_sql()
    day = timezone.localtime(start, local_zone()).date()
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {
                "town": town.pk,
                "service": service.pk,
                "location": location.pk,
                "weekday": day.weekday(),
                "day": day,
                "start": start,
                "end": end,
                "exclude": exclude,
                # Bookings store the address lower-cased, so the index on it applies.
                "email": email.strip().lower(),
                "user": getattr(user, "pk", None),
                "now": now,
            },
        )
        settings_json, offered, hours_json, exceptions_json, open_bookings, busy = cursor.fetchone()
    # JSON as text: psycopg would decode json but not jsonb (Django turns that off).
    hours = json.loads(hours_json)
    exceptions = json.loads(exceptions_json)
    plan = _day_plans(
        location=location,
        hours=[(day.weekday(), _time(o), _time(c), n) for o, c, n in hours],
        exceptions=[
            (day, closed, _time(o) if o else None, _time(c) if c else None, reason)
            for closed, o, c, reason in exceptions
        ],
        holiday_names=public_holidays(state=town.state, start=day, end=day),
        start=day,
        end=day,
    )[0]
    stored = json.loads(settings_json) if settings_json else None
    return BookingFacts(Rules.from_settings(stored), offered, plan, open_bookings, frozenset(busy))


def _time(value: str) -> dt.time:
    return dt.time.fromisoformat(value)


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    free: int


def _busy_by_counter(
    *, location: Location, start: dt.datetime, end: dt.datetime, now: dt.datetime, exclude: int
) -> dict[int, list[tuple[float, float]]]:
    """Live bookings of ``location`` overlapping ``[start, end)`` as epoch intervals per counter.

    ``exclude``: a booking being moved, whose own time counts as free.
    """
    # Epoch seconds straight from PostgreSQL: thousands of rows, no datetime objects.
    # A guest's unconfirmed hold no longer counts once it has run out.
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT counter, extract(epoch FROM start)::float8, extract(epoch FROM "end")::float8
              FROM {Booking._meta.db_table}
             WHERE location_id = %(location)s AND id <> %(exclude)s
               AND {Booking.HOLDS_COUNTER_SQL.format(b="")}
               AND NOT (status = 'pending' AND hold_until < %(now)s)
             ORDER BY counter, start
            """,  # noqa: S608 - the table name is the model's own
            {"location": location.pk, "start": start, "end": end, "now": now, "exclude": exclude},
        )
        rows = cursor.fetchall()
    busy: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for counter, b_start, b_end in rows:
        busy[counter].append((b_start, b_end))
    return busy


@dataclass(frozen=True)
class Availability:
    """The opening plan of some days and the free times in them."""

    plans: list[DayPlan]
    slots: list[Slot]


def availability(
    *,
    town: Municipality,
    service: Service,
    location: Location,
    start: dt.date | None = None,
    days: int = 28,
    now: dt.datetime | None = None,
    rules: Rules | None = None,
    moving: Booking | None = None,
) -> Availability:
    """The times ``service`` can still be booked at ``location`` in ``days`` days from ``start``.

    A time is free when at least one counter open then has no booking
    overlapping the whole duration; ``free`` says how many such counters. Times
    before the minimum notice or after the booking horizon are left out. One
    query for the hours, one for exceptions, one for bookings; the rest is a
    single pass over the sorted bookings of each counter. While ``moving`` a
    booking, its own time counts as free.
    """
    now = now or timezone.now()
    rules = rules or booking_rules(town=town)
    zone = local_zone()
    today = timezone.localtime(now, zone).date()
    first = max(start or today, today)
    last = min(first + dt.timedelta(days=days - 1), rules.last_day(now))
    if last < first or not service.is_active or not location.is_active:
        return Availability([], [])
    plans = opening_plan(town=town, location=location, start=first, end=last)
    range_start = dt.datetime.combine(first, dt.time.min, zone)
    range_end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, zone)
    busy = _busy_by_counter(
        location=location,
        start=range_start,
        end=range_end,
        now=now,
        exclude=moving.pk if moving else 0,
    )
    pointer: dict[int, int] = defaultdict(int)
    earliest = rules.earliest(now).timestamp()
    duration = dt.timedelta(minutes=service.duration_minutes)
    step = dt.timedelta(minutes=location.slot_minutes)
    slots: list[Slot] = []
    for plan in plans:
        for period in plan.periods:
            t = period.opens
            while t + duration <= period.closes:
                t0 = t.timestamp()
                if t0 >= earliest:
                    t1 = t0 + duration.total_seconds()
                    free = 0
                    for counter in range(1, period.counters + 1):
                        intervals = busy.get(counter)
                        if not intervals:
                            free += 1
                            continue
                        # Bookings on one counter never overlap, so sorted by
                        # start they are sorted by end too: skip the finished.
                        i = pointer[counter]
                        while i < len(intervals) and intervals[i][1] <= t0:
                            i += 1
                        pointer[counter] = i
                        if i == len(intervals) or intervals[i][0] >= t1:
                            free += 1
                    if free:
                        slots.append(Slot(t, t + duration, free))
                t += step
    return Availability(plans, slots)


def free_slots(
    *,
    town: Municipality,
    service: Service,
    location: Location,
    start: dt.date | None = None,
    days: int = 28,
    now: dt.datetime | None = None,
    rules: Rules | None = None,
) -> list[Slot]:
    """The free times of :func:`availability`, without the plan."""
    return availability(
        town=town,
        service=service,
        location=location,
        start=start,
        days=days,
        now=now,
        rules=rules,
    ).slots


def bookable_services(*, location: Location | None = None) -> QuerySet[Service]:
    services = Service.objects.filter(is_active=True, locations__is_active=True)
    if location is not None:
        services = services.filter(locations=location)
    return services.distinct().prefetch_related("locations")


def bookable_locations(*, service: Service | None = None) -> QuerySet[Location]:
    locations = Location.objects.filter(is_active=True)
    if service is not None:
        locations = locations.filter(services=service)
    return locations


def move_target(
    *, booking: Booking, service_id: int | None, location_id: int | None
) -> tuple[Service, Location]:
    """The service and location a booking is to move to (its own where not given).

    Raises ``BookingError`` ("not_offered") for one that is not bookable here.
    """
    service = booking.service
    if service_id is not None and service_id != service.pk:
        found = bookable_services().filter(pk=service_id).first()
        if found is None:
            raise BookingError("not_offered", _("Diese Dienstleistung ist derzeit nicht buchbar."))
        service = found
    location = booking.location
    if location_id is not None and location_id != location.pk:
        place = bookable_locations(service=service).filter(pk=location_id).first()
        if place is None:
            raise BookingError(
                "not_offered",
                _("„%(service)s“ wird an diesem Standort nicht angeboten.")
                % {"service": service.name},
            )
        location = place
    return service, location


def bookings_of_user(*, user: Any, upcoming_only: bool = True) -> QuerySet[Booking]:
    bookings = Booking.objects.filter(user=user).select_related("service", "location")
    if upcoming_only:
        bookings = bookings.filter(status__in=Booking.LIVE, end__gte=timezone.now()).exclude(
            status=Booking.Status.NO_SHOW
        )
    return bookings.order_by("start")


def booking_by_reference(*, reference: str) -> Booking | None:
    """The booking of the current town with the reference number someone typed
    (in any spelling ``references.reference_normalise`` reads), else ``None``."""
    normalised = reference_normalise(reference)
    if normalised is None:
        return None
    return (
        Booking.objects.select_related("service", "location").filter(reference=normalised).first()
    )


def bookings_between(
    *, location: Location, start: dt.date, end: dt.date, live_only: bool = False
) -> QuerySet[Booking]:
    """The bookings of ``location`` on the days ``start`` to ``end`` (inclusive), by time."""
    zone = local_zone()
    bookings = Booking.objects.filter(
        location=location,
        start__gte=dt.datetime.combine(start, dt.time.min, zone),
        start__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, zone),
    ).select_related("service")
    if live_only:
        bookings = bookings.filter(status__in=Booking.LIVE)
    return bookings.order_by("start", "counter")


def booking_statistics(
    *, town: Municipality, location: Location, start: dt.date, end: dt.date
) -> dict[str, Any]:
    """Counts per status and per service, the no-show rate and how full the hours were."""
    bookings = bookings_between(location=location, start=start, end=end)
    by_status = dict(bookings.values_list("status").annotate(n=Count("pk")).order_by())
    by_service = list(
        bookings.filter(status__in=Booking.LIVE)
        .values("service__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "service__name")
    )
    held = by_status.get(Booking.Status.CONFIRMED, 0) + by_status.get(Booking.Status.NO_SHOW, 0)
    capacity_minutes = 0.0
    for plan in opening_plan(town=town, location=location, start=start, end=end):
        for period in plan.periods:
            capacity_minutes += (
                (period.closes - period.opens).total_seconds() / 60 * period.counters
            )
    booked_minutes = sum(
        (b_end - b_start).total_seconds() / 60
        for b_start, b_end in bookings.filter(status__in=Booking.LIVE).values_list("start", "end")
    )
    return {
        "total": sum(by_status.values()),
        "by_status": [(label, by_status.get(value, 0)) for value, label in Booking.Status.choices],
        "by_status_code": {value: by_status.get(value, 0) for value in Booking.Status.values},
        "by_service": by_service,
        "no_show_rate": (by_status.get(Booking.Status.NO_SHOW, 0) / held) if held else 0.0,
        "utilisation": (booked_minutes / capacity_minutes) if capacity_minutes else 0.0,
    }
