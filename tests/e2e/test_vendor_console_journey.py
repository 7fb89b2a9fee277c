"""The vendor finds a town, opens it, onboards a new one with its coat of arms and logs out;
the two demo towns look like two different towns. On a phone and on a desktop."""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection
from django_tenants.utils import schema_context, tenant_context
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.models import Branding
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality, SchemaMigrationState
from rathaus.vendor.demo import demo_identity_load
from tests.e2e.conftest import DESKTOP, PHONE, look
from tests.factories import PASSWORD
from tests.platform.staff.conftest import make_staff

pytestmark = pytest.mark.e2e
VENDOR_EMAIL = "e2e-betrieb@rathaus.example"
DEVICES: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": DESKTOP},
    "phone": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
}
# One new town per device, so the two runs never meet.
NEW_TOWNS = {
    "desktop": {"name": "Arneburg", "ags": "15090010", "slug": "arneburg"},
    "phone": {"name": "Bismark (Altmark)", "ags": "15090070", "slug": "bismark"},
}


def _remove_town(ags: str) -> None:
    town = Municipality.objects.filter(ags=ags).first()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS town_{ags} CASCADE")
    if town is not None:
        SchemaMigrationState.objects.filter(schema_name=town.schema_name).delete()
        Municipality.objects.filter(pk=town.pk).delete()


@pytest.fixture
def vendor_account(transactional_db: None, live_towns: dict[str, Municipality]) -> Iterator[None]:
    """A vendor staff login, committed so the server process sees it; removed afterwards."""
    for spec in NEW_TOWNS.values():
        _remove_town(spec["ags"])
    User.objects.create_user(VENDOR_EMAIL, PASSWORD, is_staff=True, first_name="Betrieb")
    yield
    # A raw delete: the public schema has no town tables (staff roles) to cascade into.
    User.objects.filter(email=VENDOR_EMAIL)._raw_delete(using="default")
    for spec in NEW_TOWNS.values():
        _remove_town(spec["ags"])
    caches["platform"].clear()


def arms_file(tmp_path: Path) -> Path:
    path = tmp_path / "wappen.png"
    image = Image.new("RGB", (120, 140), "#7a1f1f")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("device", DEVICES)
def test_vendor_finds_opens_and_onboards_a_town_and_logs_out(
    browser: Browser, live_port: int, vendor_account: None, tmp_path: Path, device: str
) -> None:
    base = f"http://localhost:{live_port}"
    new = NEW_TOWNS[device]
    page = browser.new_context(locale="de-DE", **DEVICES[device]).new_page()

    def shot(name: str) -> None:
        look(page, f"console-{device}-{name}")

    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Termine")).to_be_visible()  # what exists, no more
    shot("0-landing")
    page.get_by_role("link", name="Zur Betreiber-Konsole").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung zur Betreiber-Konsole")
    shot("1-login")
    page.get_by_label("E-Mail-Adresse").fill(VENDOR_EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Kommunen")
    shot("2-towns")
    page.get_by_role("searchbox", name="Suche").fill("börde")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_text("1 Kommune gefunden")).to_be_visible()
    expect(page.get_by_role("link", name="Tangerhütte")).to_have_count(0)
    shot("3-search")

    page.get_by_role("link", name="Hohe Börde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hohe Börde")
    expect(page.get_by_text("hohe-boerde.localhost")).to_be_visible()
    shot("4-town")

    # Suspending asks first and says what it means; cancelling changes nothing.
    page.get_by_role("link", name="Sperren …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hohe Börde sperren?")
    shot("4b-suspend-confirm")
    page.get_by_role("link", name="Abbrechen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hohe Börde")

    page.get_by_role("link", name="Kommune einrichten").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommune einrichten")
    shot("5-onboard")

    # Bad input: the summary says what is wrong, links to the fields and has the focus.
    page.get_by_label("Name der Kommune").fill(new["name"])
    page.get_by_label("Amtlicher Gemeindeschlüssel").fill("1509")
    page.get_by_role("button", name="Kommune einrichten").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Fehler:")
    expect(summary.get_by_role("link", name="Bitte den Namen der Behörde angeben.")).to_be_visible()
    shot("6-onboard-errors")

    summary.get_by_role("link", name="Bitte den Namen der Behörde angeben.").click()
    expect(page.get_by_label("Name der Behörde")).to_be_focused()
    page.get_by_label("Amtlicher Gemeindeschlüssel").fill(new["ags"])
    page.get_by_label("Kurzname").fill(new["slug"])
    page.get_by_label("E-Mail der ersten Verwaltungskraft").fill(f"amt@{new['slug']}.example")
    page.get_by_label("Name der Behörde").fill(f"Stadt {new['name']}")
    page.get_by_label("Postanschrift der Behörde").fill("Marktplatz 1\n39606 Altmark")
    page.get_by_label("Adresse des Impressums").fill(f"https://{new['slug']}.example/impressum")
    page.get_by_label("Adresse der Datenschutzerklärung").fill(
        f"https://{new['slug']}.example/datenschutz"
    )
    page.get_by_label("Wappen").set_input_files(arms_file(tmp_path))
    page.get_by_role("button", name="Kommune einrichten").click()

    expect(page.get_by_text(f"{new['name']} ist eingerichtet")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(new["name"])
    shot("7-onboarded")

    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_text("Sie sind abgemeldet.")).to_be_visible()
    shot("8-logged-out")
    page.goto(f"{base}/console/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmeldung zur Betreiber-Konsole")
    page.context.close()


@pytest.fixture
def demo_identities(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[dict[str, Municipality]]:
    """Both demo towns with their demo identity, committed; removed again afterwards."""
    for town in live_towns.values():
        with tenant_context(town):
            demo_identity_load(town=town, actor=Actor.system("e2e"))
    yield live_towns
    for town in live_towns.values():
        with schema_context(town.schema_name):
            for branding in Branding.objects.all():
                name = str(branding.coat_of_arms.name or "")
                if name and default_storage.exists(name):
                    default_storage.delete(name)
            Branding.objects.all().delete()
    caches["platform"].clear()


@pytest.mark.parametrize("device", DEVICES)
def test_the_two_demo_towns_are_recognisably_different(
    browser: Browser, live_port: int, demo_identities: dict[str, Municipality], device: str
) -> None:
    context = browser.new_context(locale="de-DE", **DEVICES[device])
    seen: dict[str, tuple[str, str | None, str]] = {}
    for slug, authority in [
        ("tangerhuette", "Stadt Tangerhütte"),
        ("hohe-boerde", "Gemeinde Hohe Börde"),
    ]:
        page: Page = context.new_page()
        page.goto(f"http://{slug}.localhost:{live_port}/")
        expect(page.locator(".kern-kopfzeile")).to_contain_text(f"Ein Angebot der {authority}")
        arms = page.get_by_role("banner").get_by_role("img", name="Wappen")
        expect(arms).to_be_visible()
        # The town's colour is the line under the header (and KERN's action colour).
        colour = page.locator(".rh-header").evaluate("e => getComputedStyle(e).borderBottomColor")
        seen[slug] = (colour, arms.get_attribute("src"), authority)
        look(page, f"demo-{device}-{slug}-home")
    context.close()

    assert seen["tangerhuette"][0] != seen["hohe-boerde"][0]  # colour
    assert seen["tangerhuette"][1] != seen["hohe-boerde"][1]  # coat of arms


ADMIN_EMAIL = "e2e-erscheinungsbild@tangerhuette.de"


@pytest.fixture
def bare_town_admin(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[Municipality]:
    """Tangerhütte with no identity yet and a town admin, committed; removed afterwards."""
    town = live_towns["a"]
    make_staff(town, ADMIN_EMAIL, ["town_admin"])
    yield town
    with tenant_context(town):
        Branding.objects.all().delete()
        User.objects.filter(email=ADMIN_EMAIL).delete()
    caches["platform"].clear()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_back_office_says_what_the_towns_identity_lacks_and_previews_it(
    browser: Browser, live_port: int, bare_town_admin: Municipality, device: str
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    page = browser.new_context(locale="de-DE", **DEVICES[device]).new_page()
    page.goto(f"{base}/accounts/login/?next=/staff/")
    page.get_by_label("E-Mail-Adresse").fill(ADMIN_EMAIL)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).last.click()

    reminder = page.get_by_text("Noch 6 Pflichtangaben fehlen")
    expect(reminder).to_be_visible()
    look(page, f"identity-{device}-1-dashboard")

    page.get_by_role("link", name="Name der Behörde").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erscheinungsbild")
    look(page, f"identity-{device}-2-checklist")

    page.get_by_label("Name der Behörde").fill("Stadt Tangerhütte")
    page.get_by_label("Postanschrift").fill("Bismarckstraße 5\n39517 Tangerhütte")
    page.get_by_role("button", name="Speichern").click()
    expect(page.get_by_text("Noch 4 Pflichtangaben fehlen")).to_be_visible()
    preview = page.locator("#preview")
    expect(preview).to_contain_text("Ein Angebot der Stadt Tangerhütte")
    expect(preview).to_contain_text("Bismarckstraße 5")
    look(page, f"identity-{device}-3-saved")
    page.context.close()
