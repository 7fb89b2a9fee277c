"""A citizen books a time at the town hall on a phone, moves it to another place, cancels it."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, expect

from rathaus.modules.appointments.models import Booking, Location, OpeningHours, Service
from rathaus.modules.models import ModuleActivation
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.e2e.conftest import screenshot_path
from tests.factories import PASSWORD, UserFactory
from tests.modules.conftest import switch_on

pytestmark = pytest.mark.e2e
CITIZEN_EMAIL = "e2e-buergerin@example.org"


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
        for name in ("Bürgerbüro Tangerhütte", "Bürgerbüro Lüderitz"):
            location = Location.objects.create(name=name, counters=1)
            OpeningHours.objects.bulk_create(
                OpeningHours(location=location, weekday=d, opens=dt.time(8), closes=dt.time(18))
                for d in range(7)
            )
            service.locations.add(location)
        UserFactory.create(email=CITIZEN_EMAIL, first_name="Erika", last_name="Mustermann")
    yield town
    ModuleActivation.objects.filter(town=town).delete()
    with tenant_context(town):
        OutboxMessage.objects.all().delete()
        Booking.objects.all().delete()
        Service.objects.all().delete()
        Location.objects.all().delete()
        User.objects.filter(email=CITIZEN_EMAIL).delete()
    caches["platform"].clear()


def test_a_citizen_books_moves_and_cancels_on_a_phone(
    browser: Browser, live_port: int, town_with_appointments: Municipality
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    phone = browser.new_context(
        locale="de-DE", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    page.goto(f"{base}/accounts/login/?next=/appointments/")
    page.get_by_label("E-Mail-Adresse").fill(CITIZEN_EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    page.get_by_role("link", name="Personalausweis beantragen").click()
    page.get_by_role("link", name="Bürgerbüro Tangerhütte").click()
    page.get_by_role("link", name="Nächste Woche").click()
    page.screenshot(path=screenshot_path("5-citizen-free-times-phone"), full_page=True)
    first_time = page.locator(".slot-list a").first
    first_time.click()
    page.wait_for_timeout(3100)  # the bot check wants a human's few seconds
    page.get_by_role("button", name="Verbindlich buchen").click()
    expect(page.get_by_text("Ihr Termin ist gebucht.")).to_be_visible()
    page.screenshot(path=screenshot_path("6-citizen-booked-phone"), full_page=True)

    page.get_by_role("link", name="Verschieben").click()
    page.get_by_role("link", name="Bürgerbüro Lüderitz").click()
    page.locator(".slot-list button").nth(2).click()
    expect(page.get_by_text("Bürgerbüro Lüderitz")).to_be_visible()
    with tenant_context(town_with_appointments):
        booking = Booking.objects.select_related("location").get(email=CITIZEN_EMAIL)
    assert booking.location.name == "Bürgerbüro Lüderitz"
    assert booking.status == Booking.Status.CONFIRMED

    page.get_by_role("button", name="Termin absagen").click()
    expect(page.get_by_text("Dieser Termin ist storniert.")).to_be_visible()
    page.screenshot(path=screenshot_path("7-citizen-cancelled-phone"), full_page=True)
    with tenant_context(town_with_appointments):
        booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
