"""Appointments benchmark: concurrent booking that must never overbook, and free-slot speed.

Runs in a scratch database, Redis databases and Celery queue of its own
(bench/_setup.py; no environment needed), in a bench town (AGS 15999999),
through the real booking service.

    .venv/bin/python bench/appointments.py [--attempts 250] [--clients 10]

The race: ``--attempts`` booking attempts for 50 free places (5 times x 10
counters) are released at the same instant and served by ``--clients`` warm
client processes, each with its own database connection, as a web tier's
workers would serve them (10 by default: on 2 cores, more only queue in the
operating system instead of in front of the server; try 50). Processes, not
threads: threads of one Python process queue for its GIL, which measures
Python rather than the booking.

Prints double_bookings (must be 0), booked (must equal the 50 free places),
p95_ms of a booking attempt in the race (from its start to its answer), the
same for one client booking alone (the baseline, measured in the same run),
the p95 from the release of all attempts (queueing for a client included), the
time to compute four weeks of free slots for a location with 10 counters, and
last the ratios against the issue's goals (booking p95 100 ms, four-week
availability 50 ms; below 1 is better).
"""

import argparse
import datetime as dt
import multiprocessing as mp
import statistics
import sys
import time
from collections import Counter

from _setup import bench_setup

# The bench's confirmation tasks go to a queue of their own, emptied at the
# end: they would otherwise wait in front of a `make run` worker's real mail.
BENCH_QUEUE = bench_setup("appointments", timeout=900).queue

from django.core.cache import caches  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from rathaus.config.celery import app as celery_app  # noqa: E402
from rathaus.modules.appointments.models import (  # noqa: E402
    Booking,
    Location,
    OpeningException,
    OpeningHours,
    Service,
)
from rathaus.modules.appointments.selectors import free_slots, local_zone  # noqa: E402
from rathaus.modules.appointments.services import (  # noqa: E402
    Citizen,
    SlotTakenError,
    appointment_book,
)
from rathaus.platform.holidays import public_holidays  # noqa: E402
from rathaus.tenants.models import Municipality  # noqa: E402
from rathaus.tenants.services import municipality_create  # noqa: E402

GOAL_BOOKING_P95_MS = 100.0
GOAL_FOUR_WEEKS_MS = 50.0
COUNTERS = 10
PLACES_SLOTS = 5  # 5 times x 10 counters = 50 free places

# One attempt: (ms from its start to its answer, ms from the release of all, outcome)
Result = tuple[float, float, str]


def _open_day(state: object, days_ahead: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    holidays = public_holidays(state=state, start=day, end=day + dt.timedelta(days=30))  # type: ignore[arg-type]
    while day in holidays:
        day += dt.timedelta(days=1)
    return day


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _book(
    town: Municipality, service: Service, location: Location, start: dt.datetime, who: str
) -> str:
    try:
        appointment_book(
            town=town,
            service=service,
            location=location,
            start=start,
            citizen=Citizen(f"Person {who}", f"bench-{who}@example.org"),
        )
    except SlotTakenError:
        return "taken"
    except Exception as exc:
        return f"error: {exc!r}"[:200]
    return "booked"


def _client(
    town: Municipality,
    service: Service,
    location: Location,
    starts: list[dt.datetime],
    numbers: list[int],
    client: int,
    release: "mp.synchronize.Barrier",
    results: "mp.Queue[list[Result]]",
) -> None:
    """One client process: its own connections, warmed up, then its share of the attempts."""
    for cache in caches.all():
        cache.close()  # the parent's sockets are not this process's
    out: list[Result] = []
    with schema_context(town.schema_name):
        # Warm, as a server's worker is: connections open, code loaded.
        warm_up = starts[0] - dt.timedelta(days=1, hours=2, minutes=-15 * (client // COUNTERS))
        _book(town, service, location, warm_up, f"warm-up-{client}")
        release.wait()
        released = time.perf_counter()
        for n in numbers:
            began = time.perf_counter()
            outcome = _book(town, service, location, starts[n % PLACES_SLOTS], str(n))
            done = time.perf_counter()
            out.append(((done - began) * 1000, (done - released) * 1000, outcome))
    connection.close()
    results.put(out)


def _race(
    town: Municipality,
    service: Service,
    location: Location,
    starts: list[dt.datetime],
    attempts: int,
    clients: int,
) -> tuple[list[Result], float]:
    # Everything a first booking loads (translations, holidays, Celery) is
    # loaded here once, so the forked clients share it.
    with schema_context(town.schema_name):
        _book(town, service, location, starts[0] - dt.timedelta(days=1, hours=2), "warm-up")
    celery_app.finalize()
    connections.close_all()
    for cache in caches.all():
        cache.close()
    context = mp.get_context("fork")
    # A client that dies before the start breaks the barrier instead of hanging the run.
    release = context.Barrier(clients + 1, timeout=120)
    results: mp.Queue[list[Result]] = context.Queue()
    processes = [
        context.Process(
            target=_client,
            args=(
                town,
                service,
                location,
                starts,
                list(range(c, attempts, clients)),
                c + 1,
                release,
                results,
            ),
        )
        for c in range(clients)
    ]
    for process in processes:
        process.start()
    release.wait()
    wall = time.perf_counter()
    collected = [result for _ in processes for result in results.get()]
    wall = time.perf_counter() - wall
    for process in processes:
        process.join()
    return collected, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=250)
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()

    town = municipality_create(name="Benchhausen", slug="benchhausen", ags="15999999")
    zone = local_zone()
    with schema_context(town.schema_name):
        # Leftovers of an interrupted run.
        Booking.objects.filter(location__name__startswith="Bench ").delete()
        Location.objects.filter(name__startswith="Bench ").delete()
        Service.objects.filter(name__startswith="Bench ").delete()

        # --- 1. concurrent booking of 50 free places ------------------------
        race = Location.objects.create(name="Bench race", counters=COUNTERS, slot_minutes=15)
        service = Service.objects.create(name="Bench Ausweis", duration_minutes=15)
        service.locations.add(race)
        day = _open_day(town.state, 3)
        OpeningException.objects.create(
            location=race, date=day, closed=False, opens=dt.time(10), closes=dt.time(11, 15)
        )
        # The day before: one warm-up booking per client (400 places).
        OpeningException.objects.create(
            location=race,
            date=day - dt.timedelta(days=1),
            closed=False,
            opens=dt.time(8),
            closes=dt.time(18),
        )
        starts = [
            dt.datetime.combine(day, dt.time(10), zone) + dt.timedelta(minutes=15 * i)
            for i in range(PLACES_SLOTS)
        ]

    results, wall = _race(town, service, race, starts, args.attempts, args.clients)
    latencies = [began for began, _released, _outcome in results]
    from_release = [released for _began, released, _outcome in results]
    outcomes = Counter(outcome for _began, _released, outcome in results)

    with schema_context(town.schema_name), connection.cursor() as cursor:
        # Two live bookings on one counter whose times overlap: must never exist.
        cursor.execute(
            """
            SELECT count(*) FROM appointments_booking a JOIN appointments_booking b
              ON a.location_id = b.location_id AND a.counter = b.counter AND a.id < b.id
             AND tstzrange(a.start, a."end") && tstzrange(b.start, b."end")
             WHERE a.location_id = %s
               AND a.status IN ('pending', 'confirmed', 'no_show')
               AND b.status IN ('pending', 'confirmed', 'no_show')
            """,
            [race.pk],
        )
        overlapping = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT coalesce(sum(greatest(n - %s, 0)), 0) FROM (
              SELECT count(*) AS n FROM appointments_booking
               WHERE location_id = %s AND status IN ('pending', 'confirmed', 'no_show')
               GROUP BY start) per_time
            """,
            [COUNTERS, race.pk],
        )
        over_capacity = cursor.fetchone()[0]
        booked = Booking.objects.filter(
            location=race, status__in=Booking.LIVE, start__gte=starts[0]
        ).count()

    # --- 2. the baseline: one client alone books 50 free times ----------------
    with schema_context(town.schema_name):
        calm = Location.objects.create(name="Bench calm", counters=COUNTERS, slot_minutes=15)
        service.locations.add(calm)
        OpeningException.objects.create(
            location=calm, date=day, closed=False, opens=dt.time(8), closes=dt.time(18)
        )
        alone: list[float] = []
        for i in range(PLACES_SLOTS * COUNTERS):
            start = dt.datetime.combine(day, dt.time(8), zone) + dt.timedelta(
                minutes=15 * (i // COUNTERS)
            )
            began = time.perf_counter()
            outcome = _book(town, service, calm, start, f"calm-{i}")
            alone.append((time.perf_counter() - began) * 1000)
            assert outcome == "booked", outcome

    # --- 3. four weeks of free slots, 10 counters, half booked --------------
    with schema_context(town.schema_name):
        big = Location.objects.create(name="Bench 4 weeks", counters=COUNTERS, slot_minutes=15)
        service.locations.add(big)
        for weekday in range(5):
            OpeningHours.objects.create(
                location=big, weekday=weekday, opens=dt.time(8), closes=dt.time(18)
            )
        first = timezone.localdate() + dt.timedelta(days=1)
        rows = []
        for offset in range(28):
            current = first + dt.timedelta(days=offset)
            if current.weekday() >= 5:
                continue
            t = dt.datetime.combine(current, dt.time(8), zone)
            while t.time() < dt.time(18):
                for counter in range(1, COUNTERS // 2 + 1):
                    rows.append(
                        Booking(
                            service=service,
                            location=big,
                            counter=counter,
                            start=t,
                            end=t + dt.timedelta(minutes=15),
                            name="Fill",
                            email="fill@example.org",
                        )
                    )
                t += dt.timedelta(minutes=15)
        Booking.objects.bulk_create(rows, batch_size=2000)
        timings = []
        found = 0
        for _ in range(30):
            began = time.perf_counter()
            found = len(free_slots(town=town, service=service, location=big, start=first, days=28))
            timings.append((time.perf_counter() - began) * 1000)
        Booking.objects.filter(location__name__startswith="Bench ").delete()
        Location.objects.filter(name__startswith="Bench ").delete()
        Service.objects.filter(name__startswith="Bench ").delete()

    with celery_app.connection_for_write() as broker:
        broker.default_channel.queue_purge(BENCH_QUEUE)

    errors = {k: v for k, v in outcomes.items() if k.startswith("error")}
    p95 = _percentile(latencies, 0.95)
    alone_p95 = _percentile(alone, 0.95)
    four_weeks = statistics.median(timings)
    print(
        f"attempts: {len(results)} released at once, served by {args.clients} client "
        f"processes (own connections), {wall:.2f} s"
    )
    print(f"free_places: {PLACES_SLOTS * COUNTERS}")
    print(f"double_bookings: {overlapping + over_capacity}")
    print(f"booked: {booked}")
    print(f"taken_refused: {outcomes['taken']}")
    print(f"errors: {sum(errors.values())} {errors if errors else ''}".rstrip())
    print(f"p50_ms: {_percentile(latencies, 0.5):.1f}")
    print(f"p95_ms: {p95:.1f} (an attempt in the race, from its start to its answer)")
    print(f"p95_ms_alone: {alone_p95:.1f} (baseline: one client books 50 free times)")
    print(
        f"p95_ms_from_release: {_percentile(from_release, 0.95):.1f} "
        f"(waiting for one of {args.clients} clients included; 2 CPU cores run all)"
    )
    print(f"four_weeks_slots: {found} slots with {len(rows)} bookings on {COUNTERS} counters")
    print(f"four_weeks_ms: {four_weeks:.1f} (median of 30; p95 {_percentile(timings, 0.95):.1f})")
    print(
        f"ratio vs goal: booking p95 {p95 / GOAL_BOOKING_P95_MS:.2f}x of "
        f"{GOAL_BOOKING_P95_MS:.0f} ms (race vs alone {p95 / alone_p95:.1f}x), "
        f"four weeks {four_weeks / GOAL_FOUR_WEEKS_MS:.2f}x of {GOAL_FOUR_WEEKS_MS:.0f} ms"
    )
    if overlapping or over_capacity or booked != PLACES_SLOTS * COUNTERS or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
