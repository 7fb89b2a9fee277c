"""Appointments benchmark: concurrent booking that must never overbook, and free-slot speed.

Runs against the real database named by DATABASE_URL, in a bench town of its
own (created once, AGS 15999999), through the real booking service.

    .venv/bin/python bench/appointments.py [--attempts 250] [--workers 50]

Prints double_bookings (must be 0), booked (must equal the 50 free places),
p95_ms of a booking attempt, the time to compute four weeks of free slots for
a location with 10 counters, and last the ratios against the issue's goals
(booking p95 100 ms, four-week availability 50 ms; below 1 is better).
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.platform.settings.development")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from rathaus.modules.appointments.models import (  # noqa: E402
    Booking,
    Location,
    OpeningException,
    OpeningHours,
    Service,
)
from rathaus.modules.appointments.selectors import (  # noqa: E402
    free_slots,
    local_zone,
    public_holidays,
)
from rathaus.modules.appointments.services import (  # noqa: E402
    Citizen,
    SlotTakenError,
    appointment_book,
)
from rathaus.tenants.services import municipality_create  # noqa: E402

GOAL_BOOKING_P95_MS = 100.0
GOAL_FOUR_WEEKS_MS = 50.0
COUNTERS = 10
PLACES_SLOTS = 5  # 5 times x 10 counters = 50 free places


def _open_day(state: object, days_ahead: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    holidays = public_holidays(state=state, start=day, end=day + dt.timedelta(days=30))  # type: ignore[arg-type]
    while day in holidays:
        day += dt.timedelta(days=1)
    return day


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--attempts", type=int, default=250)
    parser.add_argument("--workers", type=int, default=50)
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
        starts = [
            dt.datetime.combine(day, dt.time(10), zone) + dt.timedelta(minutes=15 * i)
            for i in range(PLACES_SLOTS)
        ]

    latencies: list[float] = []
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(args.workers)
    per_worker = [list(range(w, args.attempts, args.workers)) for w in range(args.workers)]

    def worker(numbers: list[int]) -> None:
        try:
            with schema_context(town.schema_name):
                connection.ensure_connection()
                barrier.wait()
                for n in numbers:
                    began = time.perf_counter()
                    try:
                        appointment_book(
                            town=town,
                            service=service,
                            location=race,
                            start=starts[n % PLACES_SLOTS],
                            citizen=Citizen(f"Person {n}", f"bench{n}@example.org"),
                        )
                        outcome = "booked"
                    except SlotTakenError:
                        outcome = "taken"
                    except Exception as exc:
                        outcome = f"error: {exc!r}"[:200]
                    elapsed = (time.perf_counter() - began) * 1000
                    with lock:
                        latencies.append(elapsed)
                        outcomes[outcome] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(nums,)) for nums in per_worker]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall

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
        booked = Booking.objects.filter(location=race, status__in=Booking.LIVE).count()

    # --- 2. a booking's own cost: 4 clients (the box has 2 cores) book free times
    with schema_context(town.schema_name):
        calm = Location.objects.create(name="Bench calm", counters=COUNTERS, slot_minutes=15)
        service.locations.add(calm)
        OpeningException.objects.create(
            location=calm, date=day, closed=False, opens=dt.time(8), closes=dt.time(18)
        )
    calm_latencies: list[float] = []

    def calm_worker(w: int) -> None:
        try:
            with schema_context(town.schema_name):
                for i in range(50):
                    start = dt.datetime.combine(day, dt.time(8), zone) + dt.timedelta(
                        minutes=15 * ((w * 50 + i) // COUNTERS)
                    )
                    began = time.perf_counter()
                    appointment_book(
                        town=town,
                        service=service,
                        location=calm,
                        start=start,
                        citizen=Citizen(f"Calm {w}-{i}", f"calm{w}-{i}@example.org"),
                    )
                    with lock:
                        calm_latencies.append((time.perf_counter() - began) * 1000)
        finally:
            connection.close()

    calm_threads = [threading.Thread(target=calm_worker, args=(w,)) for w in range(4)]
    for thread in calm_threads:
        thread.start()
    for thread in calm_threads:
        thread.join()

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

    errors = {k: v for k, v in outcomes.items() if k.startswith("error")}
    p95 = _percentile(latencies, 0.95)
    four_weeks = statistics.median(timings)
    print(f"attempts: {len(latencies)} from {args.workers} threads (own connections), {wall:.2f} s")
    print(f"free_places: {PLACES_SLOTS * COUNTERS}")
    print(f"double_bookings: {overlapping + over_capacity}")
    print(f"booked: {booked}")
    print(f"taken_refused: {outcomes['taken']}")
    print(f"errors: {sum(errors.values())} {errors if errors else ''}".rstrip())
    print(f"p50_ms: {_percentile(latencies, 0.5):.1f}")
    print(f"p95_ms: {p95:.1f} (in the race: {args.workers} clients queue for 2 CPU cores)")
    calm_p95 = _percentile(calm_latencies, 0.95)
    print(f"p95_ms_4_clients: {calm_p95:.1f} ({len(calm_latencies)} bookings of free times)")
    print(f"four_weeks_slots: {found} slots with {len(rows)} bookings on {COUNTERS} counters")
    print(f"four_weeks_ms: {four_weeks:.1f} (median of 30; p95 {_percentile(timings, 0.95):.1f})")
    print(
        f"ratio vs goal: booking p95 {calm_p95 / GOAL_BOOKING_P95_MS:.2f}x "
        f"(race {p95 / GOAL_BOOKING_P95_MS:.2f}x) of {GOAL_BOOKING_P95_MS:.0f} ms, "
        f"four weeks {four_weeks / GOAL_FOUR_WEEKS_MS:.2f}x of {GOAL_FOUR_WEEKS_MS:.0f} ms"
    )
    if overlapping or over_capacity or booked != PLACES_SLOTS * COUNTERS or errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
