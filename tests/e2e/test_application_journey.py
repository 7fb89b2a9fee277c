"""A citizen finds "Hund anmelden" from the home page search, fills it in step by step (with
a mistake on the way), checks and sends it and sees the case number; then the clerk finds the
case in the inbox and takes it on. On a phone and on a desktop, every page looked at."""

import re
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, expect

from rathaus.modules.applications.models import CaseCounter, Form, FormVersion, Submission
from rathaus.modules.models import ModuleActivation
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.e2e.conftest import look
from tests.factories import PASSWORD
from tests.modules.applications.conftest import publish
from tests.modules.conftest import switch_on
from tests.platform.staff.conftest import make_staff

pytestmark = pytest.mark.e2e
CLERK_EMAIL = "e2e-antraege@example.org"
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture
def town_with_dog_form(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[Municipality]:
    """The dog form published and a clerk, committed for the server process."""
    town = live_towns["a"]
    switch_on(town, "applications")
    publish(town)
    make_staff(town, CLERK_EMAIL, ["applications.clerk"])
    yield town
    ModuleActivation.objects.filter(town=town, module="applications").delete()
    with tenant_context(town):
        OutboxMessage.objects.all().delete()
        Submission.objects.all().delete()
        Form.objects.update(live_version=None)
        FormVersion.objects.all().delete()
        Form.objects.all().delete()
        CaseCounter.objects.all().delete()
        User.objects.filter(email=CLERK_EMAIL).delete()
    caches["platform"].clear()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_citizen_registers_a_dog_online_and_the_clerk_takes_the_case(
    browser: Browser, live_port: int, town_with_dog_form: Municipality, device: str
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    context = browser.new_context(locale="de-DE", **VIEWPORTS[device])  # type: ignore[arg-type]
    page = context.new_page()

    page.goto(f"{base}/")
    look(page, f"apply-1-home-{device}")
    page.get_by_role("searchbox", name="Was möchten Sie erledigen?").fill("Hund anmelden")
    page.get_by_role("button", name="Suchen").click()
    look(page, f"apply-2-search-{device}")
    page.get_by_role("link", name="Hund anmelden").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hund anmelden")
    look(page, f"apply-3-service-{device}")

    page.get_by_role("link", name="Online beantragen").click()
    look(page, f"apply-4-start-{device}")
    page.get_by_role("link", name="Antrag starten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Halterin oder Halter")
    look(page, f"apply-5-step-owner-{device}")
    page.get_by_label("Vor- und Nachname").fill("Erika Mustermann")
    page.get_by_label("Anschrift: Straße und Hausnummer").fill("Markt 1")
    page.get_by_label("Anschrift: Postleitzahl").fill("39517")
    page.get_by_label("Anschrift: Ort").fill("Tangerhütte")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    page.get_by_role("button", name="Weiter", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Hund")
    page.get_by_label("Wie viele Hunde melden Sie an?").fill("1")
    page.get_by_label("Name des Hundes").fill("Bello")
    page.get_by_role("button", name="Weiter", exact=True).click()  # breed, birthday, listed missing
    expect(page).to_have_title(re.compile("^Fehler: "))
    expect(page.get_by_text("Wählen Sie bei „Rasse“ eine Antwort aus.").first).to_be_visible()
    look(page, f"apply-6-step-dog-errors-{device}")
    expect(page.get_by_label("Name des Hundes")).to_have_value("Bello")
    page.get_by_label("Rasse").select_option(label="Dackel")
    page.get_by_label("Geburtsdatum des Hundes").fill("2021-05-24")
    page.get_by_role("radio", name="Nein").check()
    page.get_by_role("button", name="Speichern und später weitermachen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Antrag ist gespeichert")
    look(page, f"apply-6b-saved-{device}")
    page.get_by_role("link", name="Jetzt weitermachen").click()
    expect(page.get_by_label("Name des Hundes")).to_have_value("Bello")
    page.get_by_role("button", name="Weiter", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Angaben prüfen")
    expect(page.get_by_text("24.05.2021")).to_be_visible()
    expect(page.get_by_text("60,00 €")).to_be_visible()  # the dog tax, from the form's rule
    look(page, f"apply-7-check-{device}")
    page.get_by_role("button", name="Antrag absenden").click()  # the declaration not confirmed
    expect(
        page.get_by_text("Bestätigen Sie die Erklärung, bevor Sie den Antrag absenden.").first
    ).to_be_visible()
    look(page, f"apply-8-check-declaration-missing-{device}")
    page.get_by_role("checkbox", name="Ich bestätige die Erklärung.").check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Antrag ist eingegangen")
    reference = re.search(r"A-\d{4}-\d{6}", page.content())
    assert reference is not None
    look(page, f"apply-9-done-{device}")
    context.close()

    clerk = browser.new_context(locale="de-DE", **VIEWPORTS[device])  # type: ignore[arg-type]
    staff = clerk.new_page()
    staff.goto(f"{base}/accounts/login/?next=/staff/applications/")
    staff.get_by_label("E-Mail-Adresse").fill(CLERK_EMAIL)
    staff.get_by_label("Passwort").fill(PASSWORD)
    staff.get_by_role("button", name="Anmelden", exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Anträge bearbeiten")
    look(staff, f"apply-10-inbox-{device}")
    staff.get_by_role("link", name=reference.group()).click()
    expect(staff.get_by_text("Bello")).to_be_visible()
    look(staff, f"apply-11-case-{device}")
    staff.get_by_role("radio", name="in Bearbeitung").check()
    staff.get_by_role("button", name="Status ändern").click()
    expect(staff.get_by_text("Der Status ist geändert.")).to_be_visible()
    look(staff, f"apply-12-case-in-progress-{device}")
    with tenant_context(town_with_dog_form):
        assert Submission.objects.get(reference=reference.group()).status == "in_progress"
    clerk.close()
