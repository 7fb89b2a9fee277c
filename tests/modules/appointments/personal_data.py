"""A person's appointments, for the module contract's conformance test (and these tests)."""

import datetime as dt

from rathaus.modules.appointments.models import Booking, Location
from rathaus.modules.appointments.services import Citizen, appointment_book
from rathaus.platform.identity.models import User
from rathaus.tenants.current import current_town
from tests.modules.appointments.conftest import Office, at, open_day, set_up_office

OFFICE_NAME = "Bürgerbüro am Markt"


def _office() -> Office:
    town = current_town()
    location = Location.objects.filter(name=OFFICE_NAME).first()
    if location is None:
        return set_up_office(town, name=OFFICE_NAME, activate=False)
    return Office(town, location, location.services.get())


def create_personal_data(user: User) -> None:
    """In the current town: a booking of the account, one booked as a guest with the account's
    address, and one of the account in the past."""
    office = _office()
    day = open_day(office.town)
    appointment_book(
        town=office.town,
        service=office.service,
        location=office.location,
        start=at(day, 9),
        citizen=Citizen(user.get_full_name(), user.email, "0391 555"),
        user=user,
    )
    appointment_book(
        town=office.town,
        service=office.service,
        location=office.location,
        start=at(day, 10),
        citizen=Citizen("Erika als Gast", user.email.upper(), "0391 556"),
    )
    past = at(day - dt.timedelta(days=30), 11)
    Booking.objects.create(
        service=office.service,
        location=office.location,
        counter=1 + Booking.objects.filter(start=past).count(),
        start=past,
        end=past + dt.timedelta(minutes=office.service.duration_minutes),
        user=user,
        name=user.get_full_name(),
        email=user.email,
        phone="0391 557",
    )
