"""The shell every page shares, on a phone and a desktop: KERN's look, no axe findings."""

import pytest
from playwright.sync_api import Browser, expect

from rathaus.tenants.models import Municipality
from tests.e2e.conftest import DESKTOP, PHONE, look

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_home_legal_pages_and_a_form_with_errors_look_right(
    browser: Browser,
    live_port: int,
    live_towns: dict[str, Municipality],
    device: str,
    viewport: dict[str, int],
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    page = browser.new_context(locale="de-DE", viewport=viewport).new_page()

    page.goto(f"{base}/")
    expect(page.locator(".kern-kopfzeile")).to_contain_text("Ein Angebot von Tangerhütte")
    look(page, f"shell-home-{device}")

    for link, heading in [
        ("Impressum", "Impressum"),
        ("Datenschutz", "Datenschutzerklärung"),
        ("Barrierefreiheit", "Erklärung zur Barrierefreiheit"),
    ]:
        page.get_by_role("contentinfo").get_by_role("link", name=link, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        look(page, f"shell-{link.lower()}-{device}")

    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="Anmelden", exact=True).last.click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.title().startswith("Fehler: ")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("E-Mail-Adresse")).to_be_focused()
    look(page, f"shell-login-errors-{device}")
