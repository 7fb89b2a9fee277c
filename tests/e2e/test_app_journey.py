"""The town's app on a phone: installable (manifest, worker), an offline page without a
network, and after logging out nothing personal readable offline."""

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import E2E_EMAIL, E2E_PASSWORD, PHONE, look

pytestmark = pytest.mark.e2e


def test_the_app_works_offline_and_keeps_nothing_personal(
    browser: Browser, live_port: int, e2e_citizen: str
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    context = browser.new_context(locale="de-DE", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()

    page.goto(f"{base}/")
    manifest = page.evaluate(
        "async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json()"
    )
    assert manifest["name"] == "Tangerhütte – Digitales Rathaus"
    assert page.evaluate("async () => !!(await navigator.serviceWorker.ready).active")
    page.reload()  # now under the worker's control

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(E2E_EMAIL)
    page.get_by_label("Passwort").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    page.goto(f"{base}/accounts/")
    expect(page.get_by_text(E2E_EMAIL).first).to_be_visible()
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden").first).to_be_visible()

    # Only static files and the offline page are stored; no page, no API answer.
    stored = page.evaluate(
        "async () => { const urls = [];"
        " for (const name of await caches.keys()) {"
        "  for (const r of await (await caches.open(name)).keys()) urls.push(r.url); }"
        " return urls; }"
    )
    paths = [url.removeprefix(base) for url in stored]
    assert "/offline/" in paths
    assert all(path == "/offline/" or path.startswith("/static/") for path in paths), paths

    context.set_offline(True)
    page.goto(f"{base}/accounts/")
    expect(page.get_by_role("heading", name="Keine Verbindung", level=1)).to_be_visible()
    assert E2E_EMAIL not in page.content()
    assert "Erika" not in page.content()
    look(page, "app-phone-offline")
    page.goto(f"{base}/")
    expect(page.get_by_role("heading", name="Keine Verbindung", level=1)).to_be_visible()
    context.close()
