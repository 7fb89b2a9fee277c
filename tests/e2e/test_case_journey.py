"""The case workflow in the browser: a citizen registers a dog with the fee the form
works out, the clerk asks back, the citizen answers with a document, the clerk decides and
the citizen reads the decision under "Meine Anträge". On a phone and on a desktop."""

import re
from pathlib import Path

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, Page, expect

from rathaus.modules.applications.models import Submission
from rathaus.tenants.models import Municipality
from tests.e2e.conftest import E2E_PASSWORD, look
from tests.e2e.test_application_journey import (  # noqa: F401 (a fixture)
    CLERK_EMAIL,
    VIEWPORTS,
    town_with_dog_form,
)
from tests.factories import PASSWORD
from tests.modules.applications.test_uploads import PDF

pytestmark = pytest.mark.e2e
QUESTION = "Bitte laden Sie den Nachweis der Haftpflichtversicherung hoch."


def _log_in(page: Page, base: str, email: str, password: str, then: str) -> None:
    page.goto(f"{base}/accounts/login/?next={then}")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden", exact=True).click()


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_citizen_answers_the_clerks_question_and_reads_the_decision(
    browser: Browser,
    live_port: int,
    town_with_dog_form: Municipality,  # noqa: F811
    e2e_citizen: str,
    device: str,
    tmp_path: Path,
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    citizen = browser.new_context(locale="de-DE", **VIEWPORTS[device])  # type: ignore[arg-type]
    page = citizen.new_page()
    _log_in(page, base, e2e_citizen, E2E_PASSWORD, "/applications/hund-anmelden/")
    page.get_by_role("link", name="Antrag starten").click()
    page.get_by_label("Vor- und Nachname").fill("Erika Mustermann")
    page.get_by_label("Anschrift: Straße und Hausnummer").fill("Markt 1")
    page.get_by_label("Anschrift: Postleitzahl").fill("39517")
    page.get_by_label("Anschrift: Ort").fill("Tangerhütte")
    page.get_by_label("E-Mail-Adresse").fill(e2e_citizen)
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.get_by_label("Wie viele Hunde melden Sie an?").fill("2")
    page.get_by_label("Name des Hundes").fill("Bello")
    page.get_by_label("Rasse").select_option(label="Dackel")
    page.get_by_label("Geburtsdatum des Hundes").fill("2021-05-24")
    page.get_by_role("radio", name="Nein").check()
    page.get_by_label("Weitere Hunde").fill("Luna, Mischling, 01.02.2022")
    page.get_by_role("button", name="Weiter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Angaben prüfen")
    expect(page.get_by_text("150,00 €")).to_be_visible()  # 60 € and 90 €, from the form's rule
    page.get_by_role("checkbox", name="Ich bestätige die Erklärung.").check()
    page.get_by_role("button", name="Antrag absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Antrag ist eingegangen")
    found = re.search(r"A-\d{4}-\d{6}", page.content())
    assert found is not None
    reference = found.group()
    look(page, f"case-1-sent-{device}")

    clerk = browser.new_context(locale="de-DE", **VIEWPORTS[device])  # type: ignore[arg-type]
    staff = clerk.new_page()
    _log_in(staff, base, CLERK_EMAIL, PASSWORD, "/staff/applications/")
    look(staff, f"case-2-inbox-{device}")
    staff.get_by_role("link", name=reference).click()
    staff.get_by_role("button", name="Mir zuweisen").click()
    expect(staff.get_by_text(f"Der Antrag ist {CLERK_EMAIL} zugewiesen.")).to_be_visible()
    staff.get_by_label("Ihre Frage an die Antragstellerin oder den Antragsteller").fill(QUESTION)
    staff.get_by_role("button", name="Rückfrage senden").click()
    expect(staff.get_by_text("Die Rückfrage ist gestellt")).to_be_visible()
    look(staff, f"case-3-asked-{device}")

    page.goto(f"{base}/applications/account/")
    expect(page.get_by_text("Rückfrage", exact=True)).to_be_visible()
    look(page, f"case-4-my-applications-{device}")
    page.get_by_role("link", name=f"Antrag {reference} ansehen").click()
    expect(page.get_by_text(QUESTION).first).to_be_visible()
    page.get_by_role("button", name="Antwort senden").click()  # nothing written yet
    expect(page.get_by_text("Schreiben Sie Ihre Antwort auf.").first).to_be_visible()
    look(page, f"case-5-answer-missing-{device}")
    proof = tmp_path / "haftpflicht.pdf"
    proof.write_bytes(PDF)
    page.get_by_label("Ihre Antwort").fill("Den Nachweis finden Sie anbei.")
    page.get_by_label("Unterlagen").set_input_files(proof)
    page.get_by_role("button", name="Antwort senden").click()
    expect(page.get_by_text("Danke, Ihre Antwort ist bei uns eingegangen.")).to_be_visible()
    look(page, f"case-6-answered-{device}")

    staff.reload()
    expect(staff.get_by_text("Den Nachweis finden Sie anbei.")).to_be_visible()
    with staff.expect_download() as download:
        staff.get_by_role("link", name="haftpflicht.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    staff.get_by_role("radio", name="abschließen (bewilligt)").check()
    staff.get_by_label("Text des Bescheids").fill(
        "Ihre Hunde sind angemeldet. Die Steuermarken gehen Ihnen per Post zu."
    )
    staff.get_by_role("button", name="Bescheid senden").click()
    expect(staff.get_by_text("Die Entscheidung ist gespeichert")).to_be_visible()
    look(staff, f"case-7-decided-{device}")
    clerk.close()

    page.reload()
    expect(page.get_by_text("abgeschlossen").first).to_be_visible()
    look(page, f"case-8-decision-{device}")
    with page.expect_download() as decision:
        page.get_by_role("link", name=re.compile("^Bescheid herunterladen")).click()
    assert decision.value.suggested_filename == f"bescheid-{reference}.pdf"
    assert Path(decision.value.path()).read_bytes().startswith(b"%PDF")
    with tenant_context(town_with_dog_form):
        assert Submission.objects.get(reference=reference).status == "done"
    citizen.close()
