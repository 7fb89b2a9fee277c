"""A person's appointments in "Meine Daten", in "Mein Rathaus", and after deleting the account."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Booking
from rathaus.modules.appointments.selectors import Slot, free_slots
from rathaus.modules.appointments.services import Citizen, appointment_book, appointment_cancel
from rathaus.modules.appointments.tokens import manage_token
from rathaus.modules.services import module_enable
from rathaus.platform.identity import personal_data
from rathaus.platform.identity.models import User
from rathaus.platform.identity.services import account_delete
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.html import text_of
from tests.modules.conftest import VENDOR

from .conftest import Office, at, log_in, open_day, send_queued_mail, set_up_office

ERIKA = "erika@example.org"


@pytest.fixture
def counter_a(town_a: Municipality) -> Office:
    """A location with a single counter: a booked time is full."""
    return set_up_office(town_a, counters=1)


def _book(office: Office, start: dt.datetime, *, user: User | None, email: str) -> Booking:
    with tenant_context(office.town):
        return appointment_book(
            town=office.town,
            service=office.service,
            location=office.location,
            start=start,
            citizen=Citizen("Erika Mustermann", email, "0391 123456"),
            user=user,
        )


def _past(office: Office, user: User, days: int = 20) -> Booking:
    start = at(open_day(office.town) - dt.timedelta(days=days), 11)
    with tenant_context(office.town):
        return Booking.objects.create(
            service=office.service,
            location=office.location,
            counter=1,
            start=start,
            end=start + dt.timedelta(minutes=30),
            user=user,
            name="Erika Mustermann",
            email=ERIKA,
            phone="0391 123456",
        )


@pytest.fixture
def erika(town_a: Municipality) -> User:
    with tenant_context(town_a):
        # Erika confirmed her address: her guest bookings under it are hers.
        return UserFactory.create(
            email=ERIKA,
            first_name="Erika",
            last_name="Mustermann",
            email_verified_at=timezone.now(),
        )


def test_the_download_lists_every_booking_of_the_person(
    client_a: Client, counter_a: Office, erika: User
) -> None:
    day = open_day(counter_a.town)
    mine = _book(counter_a, at(day, 9), user=erika, email=ERIKA)
    as_guest = _book(counter_a, at(day, 10), user=None, email="Erika@Example.org")
    past = _past(counter_a, erika)
    _book(counter_a, at(day, 11), user=None, email="someone@example.org")
    log_in(client_a, ERIKA)

    data = json.loads(client_a.get("/accounts/export/").content)

    bookings = data["module:appointments"]["bookings"]
    assert [b["reference"] for b in bookings] == [
        past.reference,
        mine.reference,
        as_guest.reference,
    ]
    assert bookings[1]["uuid"] == str(mine.uuid)
    first = bookings[1]
    assert first["service"] == "Personalausweis beantragen"
    assert first["location"] == "Bürgerbüro"
    assert first["start"] == at(day, 9).isoformat()  # local time, as booked
    assert dt.datetime.fromisoformat(first["end"]) == at(day, 9, 30)
    assert first["status"] == "confirmed"
    assert first["phone"] == "0391 123456"


def test_deleting_the_account_frees_future_places_and_anonymises_the_rest(
    client_a: Client, counter_a: Office, erika: User, town_b: Municipality
) -> None:
    day = open_day(counter_a.town)
    mine = _book(counter_a, at(day, 9), user=erika, email=ERIKA)
    as_guest = _book(counter_a, at(day, 10), user=None, email=ERIKA)
    cancelled = _book(counter_a, at(day, 11), user=erika, email=ERIKA)
    with tenant_context(counter_a.town):
        appointment_cancel(town=counter_a.town, booking=cancelled)  # its e-mail still waits
    past = _past(counter_a, erika)
    neighbour = _book(counter_a, at(day, 12), user=None, email="nachbar@example.org")
    elsewhere = set_up_office(town_b)
    in_town_b = _book(elsewhere, at(day, 9), user=None, email=ERIKA)
    with tenant_context(counter_a.town):
        # The booking e-mails are still waiting for the worker when the account goes.
        waiting = OutboxMessage.objects.filter(
            kind="appointments.booking",
            state=OutboxMessage.State.PENDING,
            context__booking__in=[str(b.uuid) for b in (mine, as_guest, cancelled)],
        )
        assert waiting.count() == 4
        old_link = f"/appointments/termin/{manage_token(mine)}/"
        assert at(day, 9) not in [s.start for s in _free(counter_a, day)]
    log_in(client_a, ERIKA)

    client_a.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})

    with tenant_context(counter_a.town):
        assert not User.objects.filter(email=ERIKA).exists()
        erikas = Booking.objects.filter(pk__in=[mine.pk, as_guest.pk, cancelled.pk, past.pk])
        for booking in erikas:
            assert booking.user_id is None
            assert (booking.name, booking.email, booking.phone) == ("",) * 3
        statuses = dict(Booking.objects.values_list("pk", "status"))
        assert statuses[mine.pk] == statuses[as_guest.pk] == Booking.Status.CANCELLED
        assert statuses[past.pk] == Booking.Status.CONFIRMED  # still counted in the statistics
        assert at(day, 9) in [s.start for s in _free(counter_a, day)]  # the place is free again
        assert Booking.objects.get(pk=neighbour.pk).email == "nachbar@example.org"
        assert not waiting.exists()  # nothing left for the worker to send
    sent = send_queued_mail(counter_a.town)  # what the worker sends next
    assert [message.to for message in sent] == [["nachbar@example.org"]]  # none to Erika
    assert client_a.get(old_link).status_code == 404
    with tenant_context(town_b):
        assert Booking.objects.get(pk=in_town_b.pk).email == ERIKA


def _free(office: Office, day: dt.date) -> list[Slot]:
    return free_slots(
        town=office.town, service=office.service, location=office.location, start=day, days=1
    )


def test_an_account_with_an_unconfirmed_address_gets_nothing_of_a_guests_bookings(
    client_a: Client, counter_a: Office
) -> None:
    """Anyone can register with someone else's address: until it is confirmed, the guest's
    bookings under it are neither shown to nor deleted with that account."""
    day = open_day(counter_a.town)
    guests = _book(counter_a, at(day, 9), user=None, email=ERIKA)
    with tenant_context(counter_a.town):
        UserFactory.create(email=ERIKA)  # registered, address not confirmed
    log_in(client_a, ERIKA)

    data = json.loads(client_a.get("/accounts/export/").content)["module:appointments"]
    client_a.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})

    assert data["bookings"] == []
    with tenant_context(counter_a.town):
        booking = Booking.objects.get(pk=guests.pk)
        assert (booking.email, booking.status) == (ERIKA, guests.status)  # untouched


def test_deleting_an_account_is_all_or_nothing(
    counter_a: Office, erika: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    booking = _book(counter_a, at(open_day(counter_a.town), 9), user=erika, email=ERIKA)

    def fail(user: User) -> None:
        raise RuntimeError("a later part could not erase its data")

    # Sections erase in the order of their names; this one comes after every module's.
    failing = personal_data.PersonalDataSection("zz-failing", export=lambda u: None, erase=fail)
    monkeypatch.setitem(personal_data._sections, "zz-failing", failing)
    with tenant_context(counter_a.town):
        with pytest.raises(RuntimeError):
            account_delete(user=erika)

        kept = Booking.objects.get(pk=booking.pk)
        assert (kept.email, kept.status) == (ERIKA, Booking.Status.CONFIRMED)
        assert User.objects.filter(email=ERIKA).exists()


def test_mein_rathaus_links_to_my_appointments_with_how_many_are_coming(
    client_a: Client, counter_a: Office, erika: User
) -> None:
    day = open_day(counter_a.town)
    _book(counter_a, at(day, 9), user=erika, email=ERIKA)
    _book(counter_a, at(day, 10), user=erika, email=ERIKA)
    _past(counter_a, erika)
    log_in(client_a, ERIKA)

    page = client_a.get("/accounts/").content.decode()

    assert "Mein Rathaus" in page
    assert 'href="/appointments/meine/">Meine Termine</a>' in page
    assert "Meine Termine 2 kommende Termine" in text_of(page)
    assert text_of(page).count("Personalausweis beantragen") == 2  # the next ones, with links
    assert page.count('href="/appointments/termin/') == 2

    module_enable(town=counter_a.town, key="appointments", enabled=False, actor=VENDOR)

    page = client_a.get("/accounts/").content.decode()
    assert "Meine Termine" not in page
    assert "Meine Anliegen" not in page  # nothing else is on in this town


def test_mein_rathaus_speaks_english_too(client_a: Client, counter_a: Office, erika: User) -> None:
    _book(counter_a, at(open_day(counter_a.town), 9), user=erika, email=ERIKA)
    log_in(client_a, ERIKA)

    page = client_a.get("/accounts/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "My appointments 1 upcoming appointment" in text_of(page)
