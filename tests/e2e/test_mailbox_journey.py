"""A clerk sends a notice with a PDF to a citizen who consented to electronic delivery; the
citizen finds it unread in the mailbox, opens it and downloads the PDF; the clerk sees that it
was opened, the deemed delivery date and the appeal deadline. On a phone and on a desktop,
every page looked at."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import caches
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, expect

from rathaus.modules.mailbox.models import DeliveryConsent, Message
from rathaus.modules.mailbox.services import consent_record
from rathaus.modules.models import ModuleActivation
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.e2e.conftest import look
from tests.factories import PASSWORD, UserFactory
from tests.modules.conftest import switch_on
from tests.platform.staff.conftest import make_staff

pytestmark = pytest.mark.e2e
CLERK_EMAIL = "e2e-postfach@example.org"
CITIZEN_EMAIL = "e2e-erika@example.org"
NOTICE = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}


@pytest.fixture
def town_with_mailbox(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[Municipality]:
    """The mailbox on, a clerk and a citizen who consented, committed for the server process."""
    town = live_towns["a"]
    _clean(town)
    switch_on(town, "mailbox")
    make_staff(town, CLERK_EMAIL, ["mailbox.clerk"])
    with tenant_context(town):
        citizen = UserFactory.create(email=CITIZEN_EMAIL, first_name="Erika")
        consent_record(account=citizen, consented=True)
    yield town
    _clean(town)


def _clean(town: Municipality) -> None:
    """What the journey commits goes again (also what a run that broke off left behind)."""
    ModuleActivation.objects.filter(town=town, module="mailbox").delete()
    with tenant_context(town):
        OutboxMessage.objects.all().delete()
        Message.objects.all().delete()
        DeliveryConsent.objects.all().delete()
        User.objects.filter(email__in=[CLERK_EMAIL, CITIZEN_EMAIL]).delete()
    caches["platform"].clear()


def _log_in(page: object, base: str, email: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")  # type: ignore[attr-defined]
    page.get_by_label("E-Mail-Adresse").fill(email)  # type: ignore[attr-defined]
    page.get_by_label("Passwort").fill(PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Anmelden", exact=True).click()  # type: ignore[attr-defined]


@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_a_notice_sent_by_the_clerk_is_read_in_the_mailbox_with_proof(
    browser: Browser,
    live_port: int,
    town_with_mailbox: Municipality,
    device: str,
    tmp_path: Path,
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    pdf = tmp_path / "hundesteuerbescheid.pdf"
    pdf.write_bytes(NOTICE)

    clerk = browser.new_context(locale="de-DE", **VIEWPORTS[device])  # type: ignore[arg-type]
    staff = clerk.new_page()
    _log_in(staff, base, CLERK_EMAIL, "/staff/mailbox/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Postfach: gesendete Nachrichten")
    staff.get_by_role("link", name="Nachricht senden").click()
    look(staff, f"mailbox-1-send-{device}")
    staff.get_by_label("E-Mail-Adresse des Bürgerkontos").fill(CITIZEN_EMAIL)
    staff.get_by_label("Absender (Amt)").fill("Steueramt")
    staff.get_by_label("Betreff").fill("Hundesteuerbescheid 2026")
    staff.get_by_label("Aktenzeichen").fill("HSt-2026-0042")
    staff.get_by_label("Text").fill("Sehr geehrte Frau Mustermann,\nanbei Ihr Bescheid.")
    staff.get_by_label("Dokumente (PDF)").set_input_files(str(pdf))
    staff.get_by_role("button", name="Im Postfach bereitstellen").click()
    expect(staff.get_by_text("Die Nachricht wurde im Postfach bereitgestellt.")).to_be_visible()
    expect(staff.get_by_text("noch nicht geöffnet")).to_be_visible()
    look(staff, f"mailbox-2-proof-unread-{device}")

    citizen = browser.new_context(locale="de-DE", **VIEWPORTS[device])  # type: ignore[arg-type]
    page = citizen.new_page()
    _log_in(page, base, CITIZEN_EMAIL, "/mailbox/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Postfach")
    expect(page.get_by_text("Ungelesen")).to_be_visible()
    look(page, f"mailbox-3-list-{device}")
    page.get_by_role("link", name="Hundesteuerbescheid 2026").click()
    expect(page.get_by_text("anbei Ihr Bescheid.")).to_be_visible()
    look(page, f"mailbox-4-message-{device}")
    with page.expect_download() as download:
        page.get_by_role("link", name="hundesteuerbescheid.pdf").click()
    assert Path(download.value.path()).read_bytes() == NOTICE
    page.get_by_role("link", name="Zurück zum Postfach").click()
    expect(page.get_by_text("Ungelesen")).to_have_count(0)
    look(page, f"mailbox-5-list-read-{device}")
    citizen.close()

    staff.reload()
    expect(staff.get_by_text("noch nicht geöffnet")).to_have_count(0)
    expect(staff.get_by_text("Rechtsbehelfsfrist endet am")).to_be_visible()
    look(staff, f"mailbox-6-proof-opened-{device}")
    clerk.close()
