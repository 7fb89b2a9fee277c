"""A new user finds "Personalausweis beantragen" from the home page by search, books it and
reaches "Mein Rathaus" from the header, on a phone and on a desktop (issue 12's "Done when")."""

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django.core.cache import caches
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, expect

from rathaus.modules.appointments.models import Booking, Location, OpeningHours, Service
from rathaus.modules.models import ModuleActivation
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.e2e.conftest import look
from tests.factories import PASSWORD, UserFactory
from tests.modules.conftest import switch_on

pytestmark = pytest.mark.e2e
CITIZEN_EMAIL = "e2e-finder@example.org"
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture
def town_with_services(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[Municipality]:
    """A town offering a few services at one Bürgerbüro, committed for the server process."""
    town = live_towns["a"]
    switch_on(town, "appointments")
    with tenant_context(town):
        location = Location.objects.create(
            name="Bürgerbüro Tangerhütte", address="Markt 1\n39517 Tangerhütte", counters=2
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=d, opens=dt.time(8), closes=dt.time(18))
            for d in range(7)
        )
        for name, situations, fee, popular in (
            ("Personalausweis beantragen", ["ausweise-und-dokumente"], None, True),
            ("Reisepass beantragen", ["ausweise-und-dokumente"], None, True),
            ("Hund anmelden", ["tiere"], Decimal("0"), True),
            ("Wohnsitz anmelden", ["umzug-und-meldewesen"], Decimal("0"), False),
        ):
            service = Service.objects.create(
                name=name,
                summary=f"{name} im Bürgerbüro.",
                duration_minutes=30,
                documents="Bisheriger Ausweis\nBiometrisches Passfoto",
                fee=fee,
                fee_note="37,00 € (unter 24 Jahren: 22,80 €)" if fee is None else "",
                processing_time="etwa 3 bis 4 Wochen",
                life_situations=situations,
                popular=popular,
            )
            service.locations.add(location)
        UserFactory.create(email=CITIZEN_EMAIL, first_name="Erika", last_name="Mustermann")
    yield town
    ModuleActivation.objects.filter(town=town, module="appointments").delete()
    with tenant_context(town):
        OutboxMessage.objects.all().delete()
        Booking.objects.all().delete()
        Service.objects.all().delete()
        Location.objects.all().delete()
        User.objects.filter(email=CITIZEN_EMAIL).delete()
    caches["platform"].clear()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_new_user_finds_books_and_reaches_mein_rathaus(
    browser: Browser, live_port: int, town_with_services: Municipality, device: str
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    context = browser.new_context(locale="de-DE", **VIEWPORTS[device])  # type: ignore[arg-type]
    page = context.new_page()

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Lebenslagen")).to_be_visible()
    look(page, f"find-1-home-{device}")

    page.get_by_role("searchbox", name="Was möchten Sie erledigen?").fill("personalausweiss")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", name=re.compile("1 Leistung gefunden"))).to_be_visible()
    look(page, f"find-2-search-results-{device}")

    page.get_by_role("link", name="Personalausweis beantragen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personalausweis beantragen")
    expect(page.get_by_text("Biometrisches Passfoto")).to_be_visible()
    expect(page.get_by_text("37,00 € (unter 24 Jahren: 22,80 €)")).to_be_visible()
    look(page, f"find-3-service-{device}")

    page.get_by_role("link", name="Termin buchen", exact=True).click()
    look(page, f"find-4-free-times-{device}")
    page.locator(".slot-list a").first.click()
    look(page, f"find-5-book-as-guest-{device}")

    page.get_by_role("link", name=re.compile("anmelden", re.IGNORECASE)).last.click()
    page.get_by_label("E-Mail-Adresse").fill(CITIZEN_EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    look(page, f"find-6-login-{device}")
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.wait_for_timeout(3100)  # the bot check wants a human's few seconds
    look(page, f"find-7-book-{device}")
    page.get_by_role("button", name="Verbindlich buchen").click()
    expect(page.get_by_text("Ihr Termin ist gebucht.")).to_be_visible()
    look(page, f"find-8-booked-{device}")
    with tenant_context(town_with_services):
        booking = Booking.objects.select_related("service", "user").get(email=CITIZEN_EMAIL)
    assert booking.service.name == "Personalausweis beantragen"
    assert booking.status == Booking.Status.CONFIRMED

    menu = page.get_by_role("button", name=re.compile("Menü"))
    if device == "phone" and menu.count() and menu.first.is_visible():
        menu.first.click()
    page.get_by_role("link", name="Mein Rathaus").first.click()
    expect(page).to_have_url(f"{base}/accounts/")
    look(page, f"find-9-mein-rathaus-{device}")
    context.close()
