"""The vendor console: find towns, look at one, onboard one with its identity, suspend it.

Vendor staff only, on the vendor's hosts only: no console page answers on a town's host.
"""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponseBase
from django.test import Client
from django_tenants.utils import tenant_context
from PIL import Image

from rathaus.modules.registry import modules
from rathaus.modules.services import module_allow, module_enable
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.branding.selectors import stored_branding
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from rathaus.vendor import selectors
from tests.factories import PASSWORD, UserFactory
from tests.html import text_of

VENDOR = Actor.system("vendor-test")


@pytest.fixture
def vendor(db: None) -> User:
    return UserFactory.create(email="vendor@rathaus.example", is_staff=True)


@pytest.fixture
def console(public_client: Client, vendor: User) -> Client:
    public_client.force_login(vendor)
    return public_client


def png(name: str = "wappen.png", colour: str = "navy") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 70), colour).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def text(response: HttpResponseBase) -> str:
    """The page's text without tags and with single spaces: what a reader sees."""
    return text_of(response.content.decode())  # type: ignore[attr-defined]


ARNEBURG = {
    "name": "Arneburg",
    "ags": "15090010",
    "slug": "arneburg",
    "admin_email": "amt@arneburg.example",
    "modules": ["contact"],
    "authority_name": "Stadt Arneburg",
    "address": "Breite Straße 16\n39606 Arneburg",
    "imprint_url": "https://www.arneburg.example/impressum",
    "privacy_url": "www.arneburg.example/datenschutz",
    "primary_color": "#7a1f1f",
    "contact_email": "",
}


# --- the list ---------------------------------------------------------------------------


def test_the_list_shows_each_town_with_status_land_and_modules_by_title(
    console: Client, town_a: Municipality, town_b: Municipality
) -> None:
    module_allow(town=town_a, key="contact", allowed=True, actor=VENDOR)
    module_enable(town=town_a, key="contact", enabled=True, actor=VENDOR)
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")

    page = text(console.get("/console/"))

    assert "Tangerhütte" in page
    assert "Hohe Börde" in page
    assert "15090520" in page
    assert "Sachsen-Anhalt" in page
    assert str(modules["contact"].title) in page
    assert " contact " not in page  # the title, never the code key
    assert "2 Kommunen" in page


def test_search_and_filters_narrow_the_list_and_say_what_they_found(
    console: Client, town_a: Municipality, town_b: Municipality
) -> None:
    Municipality.objects.filter(pk=town_b.pk).update(status=Municipality.Status.SUSPENDED)

    found = text(console.get("/console/", {"q": "börde"}))
    assert "Hohe Börde" in found
    assert "Tangerhütte" not in found
    assert "1 Kommune" in found

    active = text(console.get("/console/", {"status": "active", "state": "15"}))
    assert "Tangerhütte" in active
    assert "Hohe Börde" not in active

    none = text(console.get("/console/", {"q": "Magdeburg"}))
    assert "Keine Kommune passt zu Ihrer Suche." in none

    # A value from an edited address is ignored, not an error page.
    assert console.get("/console/", {"status": "verloren", "module": "x"}).status_code == 200


def test_paging_keeps_the_search_in_its_links(
    console: Client, town_a: Municipality, town_b: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "TOWNS_PER_PAGE", 1)

    first = console.get("/console/", {"state": "15"})
    html = first.content.decode()
    assert "Seite 1 von 2" in text(first)
    assert "Hohe Börde" in text(first)
    assert "Tangerhütte" not in text(first)
    assert 'href="?state=15&amp;page=2"' in html

    second = text(console.get("/console/", {"state": "15", "page": "2"}))
    assert "Tangerhütte" in second
    assert "Hohe Börde" not in second
    assert "Seite 2 von 2" in second


# --- one town ---------------------------------------------------------------------------


def test_a_towns_page_shows_modules_domains_billing_activity_and_identity(
    console: Client, town_a: Municipality, town_b: Municipality
) -> None:
    module_allow(town=town_a, key="contact", allowed=True, actor=VENDOR)
    with tenant_context(town_a):
        audit_record(town=town_a, actor=VENDOR, action="support.start", target="Hilfe")
    with tenant_context(town_b):
        audit_record(town=town_b, actor=VENDOR, action="team.add", target="nur-in-hohe-boerde")

    response = console.get(f"/console/towns/{town_a.ags}/")
    page = text(response)

    assert response.status_code == 200
    assert "Tangerhütte" in page
    assert "15090520" in page
    assert "Offizielle Website" not in page  # the console's header, not the town's
    assert "tangerhuette.localhost" in page  # its host
    assert str(modules["contact"].title) in page
    assert "freigegeben" in page  # the vendor's gate, and the town's
    assert "Noch kein Kundenkonto" in page  # billing: no Stripe customer yet
    assert "Hilfe" in page  # its activity and support sessions
    assert "nur-in-hohe-boerde" not in page  # not another town's
    assert "Wappen" in page
    assert "fehlt" in page
    assert f'action="/console/towns/{town_a.ags}/support/"' in response.content.decode()
    assert 'href="http://tangerhuette.localhost' in response.content.decode()  # the portal
    assert console.get("/console/towns/99999999/").status_code == 404


def test_a_towns_activity_reads_as_sentences_with_the_towns_own_names(
    console: Client, town_a: Municipality, vendor: User
) -> None:
    with tenant_context(town_a):
        clerk = UserFactory.create(
            email="erika@tangerhuette.example",
            first_name="Erika",
            last_name="Muster",
            is_staff=True,
        )
    audit_record(town=town_a, actor=Actor.vendor(vendor), action="town.onboard", target="x")
    audit_record(
        town=town_a,
        actor=Actor.vendor_support(vendor.email),
        action="support.start",
        target="Hilfe",
    )
    audit_record(town=town_a, actor=Actor.staff(clerk), action="module.enable", target="contact")

    page = text(console.get(f"/console/towns/{town_a.ags}/"))

    assert "hat die Kommune eingerichtet." in page
    assert "hat eine Support-Sitzung begonnen." in page
    assert "Erika Muster" in page  # read from the town's accounts, not the vendor's
    assert "town.onboard" not in page
    assert "support.start" not in page


def test_suspending_asks_first_then_suspends_and_reactivates(
    console: Client, town_a: Municipality
) -> None:
    confirm = console.get(f"/console/towns/{town_a.ags}/suspend/")
    assert confirm.status_code == 200
    assert "Tangerhütte sperren?" in text(confirm)
    assert Municipality.objects.get(pk=town_a.pk).status == "active"  # asking changes nothing

    done = console.post(f"/console/towns/{town_a.ags}/suspend/", follow=True)
    assert Municipality.objects.get(pk=town_a.pk).status == "suspended"
    assert "Tangerhütte ist gesperrt." in text(done)
    assert done.redirect_chain[-1][0] == f"/console/towns/{town_a.ags}/"

    console.post(f"/console/towns/{town_a.ags}/reactivate/")
    assert Municipality.objects.get(pk=town_a.pk).status == "active"


# --- onboarding -------------------------------------------------------------------------


def test_onboarding_has_its_own_page_asking_for_the_towns_identity(console: Client) -> None:
    page = console.get("/console/towns/new/").content.decode()

    for label in [
        "Name der Behörde",
        "Postanschrift der Behörde",
        "Adresse des Impressums",
        "Adresse der Datenschutzerklärung",
        "Wappen",
    ]:
        assert label in page
    assert 'enctype="multipart/form-data"' in page
    assert 'type="file"' in page


def test_onboarding_with_identity_brings_the_town_live_with_its_arms_and_links(
    console: Client, town_a: Municipality
) -> None:
    response = console.post("/console/towns/new/", {**ARNEBURG, "coat_of_arms": png()}, follow=True)

    assert "Arneburg ist eingerichtet" in text(response)
    assert response.redirect_chain[-1][0] == "/console/towns/15090010/"
    town = Municipality.objects.get(ags="15090010")
    with tenant_context(town):
        branding = stored_branding()
        assert branding.authority_name == "Stadt Arneburg"
        assert branding.address == "Breite Straße 16\n39606 Arneburg"
        assert branding.privacy_url == "https://www.arneburg.example/datenschutz"
        assert branding.primary_color == "#7a1f1f"
        assert str(branding.coat_of_arms.name).startswith("branding/")
    home = Client(HTTP_HOST="arneburg.localhost").get("/").content.decode()
    assert "Stadt Arneburg" in home
    assert "https://www.arneburg.example/impressum" in home


def test_onboarding_errors_show_next_to_each_field_and_in_a_summary(
    console: Client, town_a: Municipality
) -> None:
    bad = {
        **ARNEBURG,
        "slug": town_a.slug,  # taken
        "authority_name": "",
        "imprint_url": "kein link",
        "primary_color": "#ffee00",  # white text unreadable on it
        "coat_of_arms": SimpleUploadedFile("wappen.png", b"not an image", "image/png"),
    }

    response = console.post("/console/towns/new/", bad)
    html = response.content.decode()

    assert response.status_code == 200
    assert re.search(r"<title>\s*Fehler:", html)
    for message in [
        "Dieser Kurzname ist schon vergeben.",
        "Bitte den Namen der Behörde angeben.",
        "Bitte eine Web-Adresse angeben",
        "4,5:1",
        "Diese Datei ist kein Bild.",
    ]:
        assert html.count(message) >= 2, message  # in the summary and at the field
    for field in ["slug", "authority_name", "imprint_url", "primary_color", "coat_of_arms"]:
        assert f'href="#id_{field}"' in html, field  # the summary links to the field
    assert not Municipality.objects.filter(ags="15090010").exists()


def test_a_good_coat_of_arms_chosen_before_an_error_is_asked_for_again(
    console: Client, town_a: Municipality
) -> None:
    taken = {**ARNEBURG, "slug": town_a.slug, "coat_of_arms": png()}

    html = console.post("/console/towns/new/", taken).content.decode()

    assert "Bitte das Wappen noch einmal auswählen" in html
    assert 'href="#id_coat_of_arms"' in html  # in the summary too


def test_an_oversized_or_foreign_file_is_refused_as_arms(console: Client, db: None) -> None:
    big = SimpleUploadedFile("wappen.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024 + 1), "image/png")
    svg = SimpleUploadedFile("wappen.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>")

    for upload in (big, svg):
        response = console.post("/console/towns/new/", {**ARNEBURG, "coat_of_arms": upload})
        assert response.status_code == 200
        assert "Fehler:" in response.content.decode()
    assert not Municipality.objects.filter(ags="15090010").exists()


# --- who may see it ---------------------------------------------------------------------


CONSOLE_PAGES = ["/console/", "/console/towns/new/", "/console/towns/15090520/"]


def test_the_console_asks_for_a_vendor_login(public_client: Client, town_a: Municipality) -> None:
    for path in CONSOLE_PAGES:
        response = public_client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/console/login/?next={path}")
    public_client.force_login(UserFactory.create(email="kunde@example.org"))  # no vendor staff
    assert public_client.get("/console/")["Location"].startswith("/console/login/")
    assert public_client.post("/console/towns/15090520/suspend/").status_code == 302
    assert Municipality.objects.get(pk=town_a.pk).status == "active"


def test_no_console_page_answers_on_a_towns_host(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):  # the login (and its session) belong to the town's schema
        town_staff = UserFactory.create(email="amt@example.org", is_staff=True, is_superuser=True)
        client_a.force_login(town_staff)

    for path in [*CONSOLE_PAGES, "/console/login/", f"/console/towns/{town_a.ags}/suspend/"]:
        assert client_a.get(path).status_code == 404, path
    assert client_a.post("/console/logout/").status_code == 404
    assert client_a.post(f"/console/towns/{town_a.ags}/suspend/").status_code == 404
    assert Municipality.objects.get(pk=town_a.pk).status == "active"


def test_logging_in_and_out_of_the_console(public_client: Client, vendor: User) -> None:
    vendor.set_password(PASSWORD)
    vendor.save()

    wrong = public_client.post("/console/login/", {"username": vendor.email, "password": "nein"})
    assert wrong.status_code == 200
    assert "Fehler:" in wrong.content.decode()

    login = public_client.post(
        "/console/login/?next=/console/towns/new/",
        {"username": vendor.email, "password": PASSWORD},
    )
    assert login["Location"] == "/console/towns/new/"
    assert "Abmelden" in text(public_client.get("/console/"))

    out = public_client.post("/console/logout/", follow=True)
    assert "Sie sind abgemeldet." in text(out)
    assert public_client.get("/console/").status_code == 302


def test_the_landing_page_promises_only_services_that_exist(public_client: Client) -> None:
    page = text(public_client.get("/"))

    for module in modules:
        assert str(module.title) in page
    # Services still to come (bulk notices, payments, hall bookings) are not promised.
    for missing in ["Zahlung", "Dorfgemeinschaftshaus", "Massenversand"]:
        assert missing not in page
    assert "/console/login/" in public_client.get("/").content.decode()


def test_activity_of_the_console_is_audited_in_the_towns_own_log(
    console: Client, town_a: Municipality
) -> None:
    console.post(f"/console/towns/{town_a.ags}/suspend/")

    with tenant_context(town_a):
        entry = AuditEntry.objects.get(action="town.status")
    assert entry.actor == "vendor@rathaus.example"
