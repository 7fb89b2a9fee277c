"""The citizen's way on the town's site: pick, book, confirm by e-mail, cancel and move."""

import datetime as dt
import re
import time
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.appointments import forms
from rathaus.modules.appointments.models import Booking, Location
from tests.factories import UserFactory
from tests.platform.design.test_error_pages import assert_error_page

from .conftest import Office, add_location, at, log_in, open_day, send_queued_mail


@pytest.fixture(autouse=True)
def _people_type_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests post at once; the bot check's minimum fill time is tested on its own.
    monkeypatch.setattr(forms.BookingForm, "min_fill_seconds", 0)


def book_url(office: Office, start: dt.datetime) -> str:
    return f"/appointments/{office.service.pk}/{office.location.pk}/buchen/?" + urlencode(
        {"start": start.isoformat()}
    )


def _form(client: Client, url: str) -> dict[str, str]:
    html = client.get(url).content.decode()
    started = re.search(r'name="started" value="([^"]+)"', html)
    assert started, html
    return {"started": started.group(1), "website": ""}


def _book_as_guest(client: Client, office: Office, start: dt.datetime) -> Booking:
    url = (
        f"/appointments/{office.service.pk}/{office.location.pk}/buchen/?start={start.isoformat()}"
    )
    response = client.post(
        url,
        {
            **_form(client, url),
            "start": start.isoformat(),
            "name": "Erika",
            "email": "e@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()
    with tenant_context(office.town):
        return Booking.objects.get(email="e@example.org", start=start)


def test_the_service_page_shows_documents_and_free_times(
    client_a: Client, office_a: Office
) -> None:
    html = client_a.get(f"/appointments/{office_a.service.pk}/", follow=True).content.decode()

    assert "Biometrisches Passfoto" in html
    assert "08:00" in html
    assert "/buchen/?start=" in html


def test_a_guest_books_confirms_by_email_and_gets_a_calendar_file(
    client_a: Client, office_a: Office
) -> None:
    start = at(open_day(office_a.town), 10)
    booking = _book_as_guest(client_a, office_a, start)
    assert booking.status == Booking.Status.PENDING

    (request_mail,) = send_queued_mail(office_a.town)
    assert request_mail.to == ["e@example.org"]
    assert "bestätigen" in request_mail.subject
    confirm_url = re.search(r"https?://\S+/appointments/bestaetigen/\S+/", str(request_mail.body))
    assert confirm_url
    path = confirm_url.group(0).split("tangerhuette.localhost", 1)[1]

    # Opening the link (a mail scanner does) confirms nothing; the click does.
    assert client_a.get(path).status_code == 200
    with tenant_context(office_a.town):
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.PENDING
    assert client_a.post(path).status_code == 302

    with tenant_context(office_a.town):
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CONFIRMED
    (confirmation,) = send_queued_mail(office_a.town)
    assert "gebucht" in confirmation.subject
    assert "Altes Ausweisdokument" in confirmation.body
    ((filename, ics, mimetype),) = confirmation.attachments
    assert filename == "termin.ics"
    assert mimetype.startswith("text/calendar")
    text = ics.decode() if isinstance(ics, bytes) else ics
    assert "BEGIN:VEVENT" in text
    assert f"UID:{booking.uuid}@" in text
    # The town hall's clock: 10:00 in Berlin, whatever zone the phone is in.
    assert "DTSTART;TZID=Europe/Berlin:" + start.strftime("%Y%m%dT%H%M%S") in text
    assert "BEGIN:VTIMEZONE" in text
    assert booking.reference in confirmation.body
    assert "Personalausweis beantragen" in text


def test_a_logged_in_citizen_books_without_confirming_and_sees_it_in_the_account(
    client_a: Client, office_a: Office
) -> None:
    with tenant_context(office_a.town):
        UserFactory.create(email="buerger@example.org")
    log_in(client_a, "buerger@example.org")
    start = at(open_day(office_a.town), 11)
    url = book_url(office_a, start)

    response = client_a.post(
        url, {**_form(client_a, url), "start": start.isoformat(), "name": "Erika"}
    )

    assert response.status_code == 302
    with tenant_context(office_a.town):
        booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.email == "buerger@example.org"
    (mail,) = send_queued_mail(office_a.town)
    assert mail.attachments
    assert "Personalausweis beantragen" in client_a.get("/appointments/meine/").content.decode()


def test_a_taken_time_gets_a_clear_error_on_the_page(client_a: Client, office_a: Office) -> None:
    start = at(open_day(office_a.town), 10)
    url = book_url(office_a, start)
    for n in range(2):
        client = Client(HTTP_HOST="tangerhuette.localhost")
        client.post(
            url,
            {
                **_form(client, url),
                "start": start.isoformat(),
                "name": "X",
                "email": f"x{n}@example.org",
            },
        )

    response = client_a.post(
        url,
        {**_form(client_a, url), "start": start.isoformat(), "name": "Y", "email": "y@example.org"},
    )

    assert response.status_code == 409
    assert "schon vergeben" in response.content.decode()
    assert "Andere Zeit wählen" in response.content.decode()


def test_a_past_time_gets_a_clear_error_on_the_page(client_a: Client, office_a: Office) -> None:
    start = at(open_day(office_a.town) - dt.timedelta(days=10), 10)
    url = book_url(office_a, start)

    response = client_a.post(
        url,
        {**_form(client_a, url), "start": start.isoformat(), "name": "Y", "email": "y@example.org"},
    )

    assert response.status_code == 400
    assert "in der Vergangenheit" in response.content.decode()


def test_bots_filling_the_trap_or_posting_at_once_book_nothing(
    client_a: Client, office_a: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = at(open_day(office_a.town), 10)
    url = book_url(office_a, start)
    data = {"start": start.isoformat(), "name": "Bot", "email": "bot@example.org"}

    trapped = client_a.post(url, {**_form(client_a, url), **data, "website": "http://spam"})
    monkeypatch.setattr(forms.BookingForm, "min_fill_seconds", 3)
    too_fast = client_a.post(url, {**_form(client_a, url), **data})
    forged = client_a.post(url, {**data, "started": str(time.time() - 60)})

    for response in (trapped, too_fast, forged):
        assert response.status_code == 400
        assert "zu schnell" in response.content.decode()
    with tenant_context(office_a.town):
        assert not Booking.objects.exists()


def test_public_booking_is_rate_limited(client_a: Client, office_a: Office) -> None:
    day = open_day(office_a.town)
    statuses = []
    for n in range(22):
        start = at(day, 8 + n // 4, (n % 4) * 15)
        url = book_url(office_a, start)
        statuses.append(client_a.post(url, {"start": start.isoformat(), "name": "x"}).status_code)

    assert statuses[:20] == [400] * 20  # counted, refused by the form
    assert statuses[20:] == [429, 429]


def test_cancel_through_the_signed_link_in_the_email(client_a: Client, office_a: Office) -> None:
    start = at(open_day(office_a.town), 10)
    booking = _book_as_guest(client_a, office_a, start)
    (mail,) = send_queued_mail(office_a.town)
    manage = re.search(r"https?://\S+(/appointments/termin/\S+/)", str(mail.body))
    assert manage
    page = Client(HTTP_HOST="tangerhuette.localhost")  # another browser: only the link counts

    assert "Termin absagen" in page.get(manage.group(1)).content.decode()
    assert page.post(manage.group(1) + "absagen/").status_code == 302

    with tenant_context(office_a.town):
        assert Booking.objects.get(pk=booking.pk).status == Booking.Status.CANCELLED
    (cancelled,) = send_queued_mail(office_a.town)
    assert "storniert" in cancelled.subject
    assert "METHOD:CANCEL" in str(cancelled.attachments[0][1])


def test_move_through_the_signed_link(client_a: Client, office_a: Office) -> None:
    start = at(open_day(office_a.town), 10)
    booking = _book_as_guest(client_a, office_a, start)
    (mail,) = send_queued_mail(office_a.town)
    manage = re.search(r"https?://\S+(/appointments/termin/(\S+)/)", str(mail.body))
    assert manage

    new_start = at(open_day(office_a.town), 14)
    response = client_a.post(manage.group(1) + "verschieben/", {"start": new_start.isoformat()})

    assert response.status_code == 302
    with tenant_context(office_a.town):
        assert Booking.objects.get(pk=booking.pk).start == new_start


def test_a_tampered_link_opens_nothing(client_a: Client, office_a: Office) -> None:
    _book_as_guest(client_a, office_a, at(open_day(office_a.town), 10))
    (mail,) = send_queued_mail(office_a.town)
    manage = re.search(r"https?://\S+(/appointments/termin/(\S+)/)", str(mail.body))
    assert manage
    token = manage.group(2)
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    assert client_a.get(f"/appointments/termin/{forged}/").status_code == 404
    assert client_a.post(f"/appointments/termin/{forged}/absagen/").status_code == 404


def test_move_to_another_location_through_the_slots_page(
    client_a: Client, office_a: Office
) -> None:
    elsewhere = add_location(office_a)
    booking = _book_as_guest(client_a, office_a, at(open_day(office_a.town), 10))
    (mail,) = send_queued_mail(office_a.town)
    manage = re.search(r"https?://\S+(/appointments/termin/(\S+)/)", str(mail.body))
    assert manage
    token = manage.group(2)

    # Moving shows the same service's other places; the citizen picks one ...
    page = client_a.get(
        f"/appointments/{office_a.service.pk}/{office_a.location.pk}/?move={token}"
    ).content.decode()
    assert "Bürgerbüro Lüderitz" in page
    there = client_a.get(
        f"/appointments/{office_a.service.pk}/{elsewhere.pk}/?move={token}"
    ).content.decode()
    assert f'name="location" value="{elsewhere.pk}"' in there

    # ... and a time there.
    new_start = at(open_day(office_a.town), 15)
    response = client_a.post(
        manage.group(1) + "verschieben/",
        {"start": new_start.isoformat(), "location": str(elsewhere.pk)},
    )

    assert response.status_code == 302
    with tenant_context(office_a.town):
        moved = Booking.objects.get(pk=booking.pk)
    assert (moved.location_id, moved.start) == (elsewhere.pk, new_start)
    summary = client_a.get(manage.group(1)).content.decode()
    assert "Bürgerbüro Lüderitz" in summary


def test_moving_by_a_quarter_hour_onto_its_own_time_is_offered(
    client_a: Client, office_a: Office
) -> None:
    with tenant_context(office_a.town):
        Location.objects.filter(pk=office_a.location.pk).update(counters=1)
    day = open_day(office_a.town)
    _book_as_guest(client_a, office_a, at(day, 10))
    (mail,) = send_queued_mail(office_a.town)
    manage = re.search(r"https?://\S+(/appointments/termin/(\S+)/)", str(mail.body))
    assert manage
    week = (day - timezone.localdate()).days // 7

    page = client_a.get(
        f"/appointments/{office_a.service.pk}/{office_a.location.pk}/"
        f"?move={manage.group(2)}&week={week}"
    ).content.decode()

    # The only counter holds this booking 10:00-10:30; 10:15 overlaps only itself.
    assert f'value="{at(day, 10, 15).isoformat()}"' in page


def test_a_second_click_on_book_books_nothing_more(client_a: Client, office_a: Office) -> None:
    start = at(open_day(office_a.town), 10)
    url = book_url(office_a, start)
    data = {
        **_form(client_a, url),
        "start": start.isoformat(),
        "name": "Erika",
        "email": "e@example.org",
    }

    first = client_a.post(url, data)
    second = client_a.post(url, data)

    assert first.status_code == second.status_code == 302
    with tenant_context(office_a.town):
        assert Booking.objects.filter(email="e@example.org").count() == 1
        reference = Booking.objects.get(email="e@example.org").reference
    # Both lead to the one booking (the links are signed at different moments, so
    # they need not be the same string).
    assert reference in client_a.get(first["Location"]).content.decode()
    assert reference in client_a.get(second["Location"]).content.decode()
    assert len(send_queued_mail(office_a.town)) == 1


def test_the_booking_form_with_errors_says_so_at_the_top(
    client_a: Client, office_a: Office
) -> None:
    start = at(open_day(office_a.town), 10)
    url = book_url(office_a, start)

    response = client_a.post(url, {**_form(client_a, url), "start": start.isoformat()})

    html = response.content.decode()
    assert_error_page(html)
    assert "Bitte geben Sie den Namen an, unter dem Sie den Termin wahrnehmen." in html
    assert "Bitte geben Sie Ihre E-Mail-Adresse an: dorthin geht die Bestätigung." in html
