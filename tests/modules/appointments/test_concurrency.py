"""Many people racing for the last places: real threads, each with its own connection."""

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from rathaus.modules.appointments.models import Booking, Location, Service
from rathaus.modules.appointments.services import Citizen, SlotTakenError, appointment_book
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality

from .conftest import at, open_day, set_up_office


@pytest.fixture
def town_committed(
    live_towns: dict[str, Municipality], django_db_blocker: pytest.FixtureRequest
) -> Iterator[Municipality]:
    """Town A for a test whose writes are committed, so other connections see them.

    Like the session's towns, this works outside a test transaction, and it
    removes what the test stored afterwards. (pytest-django's transactional_db
    would flush the database after the test, and with django-tenants that
    leaves the session's towns unusable for the Celery worker of later tests.)
    """
    # Its row committed too: a booking's e-mail asks for the town (its sender).
    town = live_towns["a"]
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        try:
            yield town
        finally:
            with schema_context(town.schema_name):
                OutboxMessage.objects.all().delete()
                Booking.objects.all().delete()
                Service.objects.all().delete()
                Location.objects.all().delete()
            connection.close()


def test_forty_people_racing_for_five_counters_get_exactly_five_bookings(
    town_committed: Municipality,
) -> None:
    town = town_committed
    office = set_up_office(town, counters=5, activate=False)
    start = at(open_day(town), 10)
    barrier = threading.Barrier(40)
    outcomes: list[str] = []
    lock = threading.Lock()

    def attempt(n: int) -> None:
        try:
            with schema_context(town.schema_name):
                barrier.wait()
                try:
                    appointment_book(
                        town=town,
                        service=office.service,
                        location=office.location,
                        start=start,
                        citizen=Citizen(f"P{n}", f"p{n}@example.org"),
                    )
                    outcome = "booked"
                except SlotTakenError:
                    outcome = "taken"
        except Exception as exc:
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert Counter(outcomes) == {"booked": 5, "taken": 35}
    with schema_context(town.schema_name):
        counters = list(
            Booking.objects.filter(status__in=Booking.LIVE, start=start).values_list(
                "counter", flat=True
            )
        )
    assert sorted(counters) == [1, 2, 3, 4, 5]
