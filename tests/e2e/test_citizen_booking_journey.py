"""A new citizen registers, logs in, books a time, keeps the confirmation, finds it in
"Mein Rathaus" and cancels it, on a phone and on a desktop; axe checks every page."""

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from rathaus.modules.appointments.models import Booking, Location, OpeningHours, Service
from rathaus.modules.models import ModuleActivation
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.e2e.conftest import DESKTOP, PHONE, look
from tests.modules.conftest import switch_on

pytestmark = pytest.mark.e2e
PASSWORD = "Lindenblüte-im-Mai-42"
VIEWPORTS = {
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": DESKTOP},
}


@pytest.fixture
def town_with_appointments(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[Municipality]:
    """Committed data, so the separate server process sees it; removed again afterwards."""
    town = live_towns["a"]
    switch_on(town, "appointments")
    with tenant_context(town):
        service = Service.objects.create(
            name="Personalausweis beantragen",
            duration_minutes=30,
            documents="Biometrisches Passfoto",
        )
        for name, address in (
            ("Bürgerbüro Tangerhütte", "Bismarckstraße 5\n39517 Tangerhütte"),
            ("Bürgerbüro Lüderitz", "Stendaler Straße 3\n39517 Tangerhütte"),
        ):
            location = Location.objects.create(name=name, address=address, counters=1)
            OpeningHours.objects.bulk_create(
                OpeningHours(location=location, weekday=d, opens=dt.time(8), closes=dt.time(18))
                for d in range(7)
            )
            service.locations.add(location)
    yield town
    ModuleActivation.objects.filter(town=town).delete()
    with tenant_context(town):
        OutboxMessage.objects.all().delete()
        Booking.objects.all().delete()
        Service.objects.all().delete()
        Location.objects.all().delete()
        User.objects.filter(email__startswith="e2e-").delete()
    caches["platform"].clear()


def _register(page: Page, base: str, email: str, shot: str) -> None:
    page.goto(f"{base}/accounts/register/")
    look(page, f"{shot}-1-register")
    # A person: the association's name is not asked for.
    expect(page.get_by_label("Name des Vereins oder Unternehmens")).to_be_hidden()
    page.get_by_label("Vorname").fill("Erika")
    page.get_by_label("Nachname").fill("Mustermann")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_label("Passwort wiederholen").fill(PASSWORD)
    page.get_by_role("button", name="Konto anlegen").click()
    expect(page.get_by_role("heading", name="Mein Rathaus", level=1)).to_be_visible()
    look(page, f"{shot}-2-registered")


def _log_out_and_in_again(page: Page, email: str, shot: str) -> None:
    page.get_by_role("button", name="Abmelden").click()
    page.get_by_role("link", name="Anmelden").first.click()
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(
        page.get_by_text("E-Mail-Adresse und Passwort passen nicht zusammen.").first
    ).to_be_visible()
    assert page.title().startswith("Fehler:")
    look(page, f"{shot}-3-login-wrong-password")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()


def _book(page: Page, base: str, shot: str) -> str:
    page.goto(f"{base}/appointments/")
    look(page, f"{shot}-4-services")
    page.get_by_role("link", name="Personalausweis beantragen").first.click()
    look(page, f"{shot}-5-places")
    page.get_by_role("link", name="Bürgerbüro Tangerhütte").first.click()
    page.get_by_role("link", name="Nächste Woche").click()
    look(page, f"{shot}-6-free-times")
    page.locator(".slot-list a").first.click()
    look(page, f"{shot}-7-book")
    page.wait_for_timeout(3100)  # the bot check wants a human's few seconds
    page.get_by_role("button", name="Verbindlich buchen").click()
    expect(page.get_by_text("Ihr Termin ist gebucht.")).to_be_visible()
    look(page, f"{shot}-8-booked")
    reference = page.locator(".booking-reference").inner_text().strip()
    assert re.fullmatch(r"T-[0-9A-Z]{4}-[0-9A-Z]{2}", reference), reference
    return reference


def _calendar_file_is_in_berlin_time(page: Page, reference: str) -> None:
    link = page.get_by_role("link", name="In den Kalender eintragen (.ics)")
    # Fetched by the page itself: the browser resolves the town's *.localhost host.
    status, content_type, body = page.evaluate(
        "async url => { const r = await fetch(url);"
        " return [r.status, r.headers.get('content-type'), await r.text()]; }",
        str(link.get_attribute("href")),
    )
    assert status == 200
    assert content_type.startswith("text/calendar")
    assert "DTSTART;TZID=Europe/Berlin:" in body
    assert reference in body
    assert "openstreetmap.org/search" in str(
        page.get_by_role("link", name=re.compile("Auf der Karte zeigen")).get_attribute("href")
    )


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_new_citizen_books_finds_it_in_mein_rathaus_and_cancels(
    browser: Browser, live_port: int, town_with_appointments: Municipality, device: str
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    context = browser.new_context(locale="de-DE", **VIEWPORTS[device])  # type: ignore[arg-type]
    page = context.new_page()
    email = f"e2e-{device}@example.org"
    shot = f"citizen-{device}"

    _register(page, base, email, shot)
    _log_out_and_in_again(page, email, shot)
    reference = _book(page, base, shot)
    _calendar_file_is_in_berlin_time(page, reference)

    page.get_by_role("link", name="Mein Rathaus").first.click()
    expect(page.get_by_text("1 kommender Termin")).to_be_visible()
    look(page, f"{shot}-9-mein-rathaus")
    page.get_by_role("link", name="Personalausweis beantragen").first.click()
    # Moved to the other place; the reference number stays.
    page.get_by_role("link", name="Verschieben").click()
    page.get_by_role("link", name="Bürgerbüro Lüderitz").click()
    look(page, f"{shot}-10-move")
    page.locator(".slot-list button").nth(2).click()
    expect(page.get_by_text("Stendaler Straße 3")).to_be_visible()
    expect(page.locator(".booking-reference")).to_have_text(reference)
    page.get_by_role("button", name="Termin absagen").click()
    expect(page.get_by_text("Dieser Termin ist storniert.")).to_be_visible()
    look(page, f"{shot}-11-cancelled")
    with tenant_context(town_with_appointments):
        booking = Booking.objects.select_related("user").get(reference=reference)
    assert booking.status == Booking.Status.CANCELLED
    assert booking.user is not None
    assert booking.user.email == email
    context.close()
