"""The town admin's back office on a phone and a desktop: services, state account,
timetable, no-shows, audit log; and a colour and a service a citizen then sees."""

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from rathaus.modules.appointments.models import Booking, Location, Service
from rathaus.modules.models import ModuleActivation
from rathaus.modules.services import module_allow
from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.models import Branding
from rathaus.platform.federation.models import IdentityProvider
from rathaus.platform.federation.presets.models import FederationPreset
from rathaus.platform.identity.models import User
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from rathaus.vendor.demo import demo_content_load
from tests.e2e.conftest import DESKTOP, PHONE, look, screenshot_path
from tests.factories import PASSWORD
from tests.platform.federation.conftest import saml_idp
from tests.platform.staff.conftest import make_staff

pytestmark = pytest.mark.e2e
ADMIN_EMAIL = "e2e-verwaltung@tangerhuette.de"


@pytest.fixture
def town_with_admin(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[Municipality]:
    """Committed data, so the separate server process sees it; removed again afterwards."""
    town = live_towns["a"]
    make_staff(town, ADMIN_EMAIL, ["town_admin"])
    module_allow(town=town, key="contact", allowed=True, actor=Actor.system("vendor"))
    yield town
    ModuleActivation.objects.filter(town=town).delete()
    with tenant_context(town):
        Branding.objects.filter(pk=1).delete()
        User.objects.filter(email=ADMIN_EMAIL).delete()
    caches["platform"].clear()


def test_admin_sets_colour_and_enables_a_service_and_a_citizen_sees_both(
    browser: Browser, live_port: int, town_with_admin: Municipality
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"

    admin = browser.new_context(locale="de-DE").new_page()
    admin.goto(f"{base}/accounts/login/")
    admin.get_by_label("E-Mail-Adresse").fill(ADMIN_EMAIL)
    admin.get_by_label("Passwort").fill(PASSWORD)
    admin.get_by_role("button", name="Anmelden", exact=True).click()
    admin.goto(f"{base}/staff/branding/")
    admin.get_by_label("Hauptfarbe").fill("#7a1f1f")
    admin.get_by_role("button", name="Speichern").click()
    expect(admin.get_by_text("Das Erscheinungsbild wurde gespeichert.")).to_be_visible()
    admin.screenshot(path=screenshot_path("1-admin-branding-saved"), full_page=True)

    admin.goto(f"{base}/staff/modules/")
    admin.get_by_role("button", name="Kontakt und Öffnungszeiten einschalten").click()
    expect(admin.get_by_text("Kontakt und Öffnungszeiten ist eingeschaltet.")).to_be_visible()
    admin.screenshot(path=screenshot_path("2-admin-module-enabled"), full_page=True)

    phone = browser.new_context(
        locale="de-DE", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    ).new_page()
    phone.goto(f"{base}/")
    # The module's service is in the town's catalogue on the home page.
    service = phone.get_by_role("link", name="Kontakt zum Rathaus")
    expect(service).to_be_visible()
    header = phone.locator(".rh-header").evaluate("e => getComputedStyle(e).borderBottomColor")
    assert header == "rgb(122, 31, 31)"
    phone.screenshot(path=screenshot_path("3-citizen-home-phone"), full_page=True)

    # Keyboard users land on the skip link first.
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"

    service.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kontakt zum Rathaus")
    phone.get_by_role("link", name="Kontakt aufnehmen").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kontakt und Öffnungszeiten")
    phone.screenshot(path=screenshot_path("4-citizen-contact-phone"), full_page=True)


DEMO_ADMIN = "admin@tangerhuette.localhost"
__all__ = ["saml_idp"]  # a fixture of the federation tests: a real SAML IdP


@pytest.fixture
def demo_town(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[Municipality]:
    """The demo town as ``load_demo`` makes it (every service on, the Bürgerbüro with two
    counters), its admin, and two bookings that began a little while ago."""
    town = live_towns["a"]
    actor = Actor.system("e2e")
    # A transactional test before this one empties every table, the presets included.
    FederationPreset.objects.get_or_create(
        key="bundid",
        defaults={
            "name": "BundID",
            "protocol": "saml",
            "attribute_mapping": {"email": "mail", "first_name": "givenName", "last_name": "sn"},
        },
    )
    with tenant_context(town):
        admin = staff_add(
            town=town,
            email=DEMO_ADMIN,
            roles=[TOWN_ADMIN],
            actor=actor,
            first_name="Stadtverwaltung",
        )
        admin.set_password(PASSWORD)
        admin.save()
    demo_content_load(town=town, actor=actor)
    now = timezone.localtime()
    start = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    start -= dt.timedelta(minutes=15)  # begun, not ended: open, and a no-show is possible
    with tenant_context(town):
        location = Location.objects.get(name="Bürgerbüro")
        service = Service.objects.get(name="Personalausweis beantragen")
        for counter, name in ((1, "Max Mustermann"), (2, "Erika Beispiel")):
            Booking.objects.create(
                service=service,
                location=location,
                counter=counter,
                start=start,
                end=start + dt.timedelta(minutes=30),
                name=name,
                email=f"{counter}@example.org",
            )
    yield town
    ModuleActivation.objects.filter(town=town).delete()
    with tenant_context(town):
        # Whatever the demo gave every module (news topics, notice templates, forms,
        # messages, ...): the town is shared by the whole session, and a leftover row
        # would break a later test that makes the same one.
        _module_tables_empty()
        IdentityProvider.objects.all().delete()
        User.objects.filter(email=DEMO_ADMIN).delete()
    caches["platform"].clear()


def _module_tables_empty() -> None:
    """Empties every service module's tables in the current town's schema."""
    from django.apps import apps
    from django.db import connection

    tables = [
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("rathaus.modules.")
        for model in config.get_models()
        if not model._meta.proxy and model._meta.managed
    ]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table in tables) + " CASCADE")


def _walk_the_back_office(page: Page, base: str, saml_idp: str, where: str, day: str) -> None:
    page.goto(f"{base}/staff/")
    look(page, f"admin-{where}-1-dashboard")

    # A service is switched off only after its own page says what happens.
    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Dienste").click()
    look(page, f"admin-{where}-2-services")
    # Durations in hours and minutes, and a wrong one explained.
    page.get_by_role("link", name="Einstellungen: Termine").click()
    page.locator("#id_min_notice_minutes_1").fill("75")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Die Minuten müssen zwischen 0 und 59 liegen").first).to_be_visible()
    assert page.title().startswith("Fehler: ")
    look(page, f"admin-{where}-2b-rules-error")
    page.goto(f"{base}/staff/modules/")
    page.get_by_role("link", name="Termine ausschalten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Termine ausschalten?")
    # Two bookings at first; the phone's walk marks one as a no-show before the desktop's.
    expect(page.get_by_text(re.compile(r"^[12] offene[r]? Termine? bleib"))).to_be_visible()
    look(page, f"admin-{where}-3-switch-off-confirmation")
    page.get_by_role("button", name="Ja, Termine ausschalten").click()
    expect(page.get_by_text("Termine ist ausgeschaltet.")).to_be_visible()
    look(page, f"admin-{where}-4-service-off")
    page.get_by_role("button", name="Termine einschalten").click()
    expect(page.get_by_text("Termine ist eingeschaltet.")).to_be_visible()

    # The state account from the BundID preset: only the metadata address is asked for.
    nav = page.get_by_role("navigation", name="Verwaltung")
    nav.get_by_role("link", name="Landeskonto (BundID / Servicekonto)").click()
    look(page, f"admin-{where}-5-state-account")
    page.get_by_label("BundID (SAML 2.0)").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_text("Vorlage: BundID über SAML 2.0.")).to_be_visible()
    look(page, f"admin-{where}-6-state-account-preset")
    page.get_by_label("Metadaten-Adresse des Anbieters").fill(f"{saml_idp}/metadata")
    page.get_by_role("button", name="Speichern").click()
    expect(
        page.get_by_text("Das Landeskonto (BundID / Servicekonto) ist gespeichert: BundID.")
    ).to_be_visible()
    look(page, f"admin-{where}-7-state-account-saved")

    # Today's timetable per counter, and a no-show marked in it.
    page.get_by_role("navigation", name="Verwaltung").get_by_role(
        "link", name="Terminverwaltung"
    ).click()
    look(page, f"admin-{where}-8-appointments")
    page.goto(f"{page.url}standorte/{_location_id(page)}/tag/?date={day}")
    expect(page.get_by_role("columnheader", name="Schalter 2")).to_be_visible()
    look(page, f"admin-{where}-9-day-timetable")
    page.get_by_role("button", name="Nicht erschienen").first.click()
    expect(page.get_by_text("nicht erschienen", exact=True).first).to_be_visible()
    look(page, f"admin-{where}-10-no-show")
    page.get_by_role("link", name="Woche").click()
    look(page, f"admin-{where}-11-week-timetable")

    page.get_by_role("navigation", name="Verwaltung").get_by_role("link", name="Protokoll").click()
    expect(
        page.get_by_text("Stadtverwaltung hat den Dienst Termine ausgeschaltet.").first
    ).to_be_visible()
    expect(page.get_by_text(re.compile("als „nicht erschienen“ vermerkt")).first).to_be_visible()
    look(page, f"admin-{where}-12-audit-log")


def _location_id(page: Page) -> str:
    href = page.get_by_role("link", name="Heute").first.get_attribute("href") or ""
    return href.split("/standorte/", 1)[1].split("/", 1)[0]


def test_the_town_admin_walks_the_back_office_on_a_phone_and_a_desktop(
    browser: Browser, live_port: int, demo_town: Municipality, saml_idp: str
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    with tenant_context(demo_town):
        day = timezone.localtime(Booking.objects.first().start).date().isoformat()  # type: ignore[union-attr]
    for where, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(
            locale="de-DE",
            viewport=viewport,
            is_mobile=where == "phone",
            has_touch=where == "phone",
        )
        page = context.new_page()
        page.goto(f"{base}/accounts/login/?next=/staff/")
        page.get_by_label("E-Mail-Adresse").fill(DEMO_ADMIN)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden", exact=True).click()
        _walk_the_back_office(page, base, saml_idp, where, day)
        context.close()
