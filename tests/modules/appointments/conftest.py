"""A town with appointments switched on: one location, all-day hours, one service."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.messages import KIND
from rathaus.modules.appointments.models import Location, OpeningHours, Service
from rathaus.modules.appointments.selectors import local_zone
from rathaus.modules.appointments.services import Citizen
from rathaus.platform.audit.services import Actor
from rathaus.platform.holidays import public_holidays
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD
from tests.modules.conftest import switch_on
from tests.platform.messaging.helpers import deliver_waiting

SYSTEM = Actor.system("test")
CITIZEN = Citizen("Erika Mustermann", "erika@example.org", "0391 123")


@dataclass
class Office:
    town: Municipality
    location: Location
    service: Service


def set_up_office(
    town: Municipality, *, counters: int = 2, name: str = "Bürgerbüro", activate: bool = True
) -> Office:
    """Switches appointments on in ``town`` with a location open 08:00–18:00 every day.

    ``activate=False`` leaves the module gates (public schema) alone: for tests
    that commit, the booking service works without them.
    """
    if activate:
        switch_on(town, "appointments")
    with tenant_context(town):
        location = Location.objects.create(
            name=name, address="Bahnhofstraße 1\n39517 Tangerhütte", counters=counters
        )
        for weekday in range(7):
            OpeningHours.objects.create(
                location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(18)
            )
        service = Service.objects.create(
            name="Personalausweis beantragen",
            duration_minutes=30,
            documents="Altes Ausweisdokument\nBiometrisches Passfoto",
        )
        service.locations.add(location)
    return Office(town, location, service)


@pytest.fixture
def office_a(town_a: Municipality) -> Office:
    return set_up_office(town_a)


@pytest.fixture
def office_b(town_b: Municipality) -> Office:
    return set_up_office(town_b, name="Bürgerbüro Irxleben")


def open_day(town: Municipality, *, days_ahead: int = 3) -> dt.date:
    """A day at least ``days_ahead`` days from now that is no public holiday."""
    day = timezone.localdate() + dt.timedelta(days=days_ahead)
    holidays = public_holidays(state=town.state, start=day, end=day + dt.timedelta(days=30))
    while day in holidays:
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), local_zone())


def send_queued_mail(town: Municipality) -> list[mail.EmailMessage]:
    """Does what the outbox's worker does for every queued booking e-mail; returns what was sent."""
    before = len(mail.outbox)
    deliver_waiting(town, kinds=[KIND])
    return list(mail.outbox[before:])


def make_clerk(town: Municipality, email: str = "clerk@example.org") -> object:
    with tenant_context(town):
        user = staff_add(town=town, email=email, roles=["appointments.clerk"], actor=SYSTEM)
        user.set_password(PASSWORD)
        user.save()
    return user


def log_in(client: object, email: str, password: str = PASSWORD) -> None:
    """Logs in through the town's login page, as a person would."""
    response = client.post(  # type: ignore[attr-defined]
        "/accounts/login/", {"username": email, "password": password}
    )
    assert response.status_code == 302, "login failed"


def add_location(
    office: Office, *, name: str = "Bürgerbüro Lüderitz", counters: int = 1
) -> Location:
    """A second place offering the office's service, open 08:00–18:00 every day."""
    with tenant_context(office.town):
        location = Location.objects.create(name=name, counters=counters)
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=weekday, opens=dt.time(8), closes=dt.time(18))
            for weekday in range(7)
        )
        office.service.locations.add(location)
    return location
