"""A town admin sets the colour and switches a service on; a citizen sees both on a phone."""

from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, expect

from rathaus.modules.models import ModuleActivation
from rathaus.modules.services import module_allow
from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.models import Branding
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.e2e.conftest import screenshot_path
from tests.factories import PASSWORD
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
    admin.get_by_role("button", name="Anmelden").click()
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
    service = phone.get_by_role("link", name="Kontakt und Öffnungszeiten")
    expect(service).to_be_visible()
    header = phone.locator(".rh-header").evaluate("e => getComputedStyle(e).borderBottomColor")
    assert header == "rgb(122, 31, 31)"
    phone.screenshot(path=screenshot_path("3-citizen-home-phone"), full_page=True)

    # Keyboard users land on the skip link first.
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Zum Inhalt springen"

    service.click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Kontakt und Öffnungszeiten")
    phone.screenshot(path=screenshot_path("4-citizen-contact-phone"), full_page=True)
