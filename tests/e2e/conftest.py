"""A real server and a real browser: Debian's Chromium driven by Playwright.

The server is a separate process on the test database, so everything the
browser sees has been committed; tests here set up and clean up their own data.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, sync_playwright

from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.conftest import ROOT, _test_database_url
from tests.e2e.browser import AXE, CHROMIUM, CHROMIUM_ARGS, axe_violations
from tests.local_servers import free_port, local_server

SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
# The viewports every journey walks: a common phone and a desktop.
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def live_port(towns: dict[str, Municipality]) -> Iterator[int]:
    """``manage.py runserver`` on the test database; town hosts are ``<slug>.localhost:<port>``."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rathaus.config.settings.test",
        "DATABASE_URL": _test_database_url(),
        # Links and passkey origins name the port the browser uses.
        "TOWN_URL_PORT": str(port),
    }
    command = [
        sys.executable,
        "manage.py",
        "runserver",
        f"127.0.0.1:{port}",
        "--noreload",
        "--insecure",
        "--skip-checks",
    ]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with local_server(command, port=port, name="the test server", cwd=ROOT, env=env, **quiet):
        yield port


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test`, which installs it")
    # Playwright's sync API keeps an event loop in this thread, which Django
    # takes for async code; the test's own database work is synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            _watch_content_security_policy(chromium)
            yield chromium
            chromium.close()
            # While the loop runs, Django's connections (context-local) are others than
            # those made before it started: every test from here on used a second
            # connection, which would outlive the test database's teardown ("being
            # accessed by other users"). Close them while they are still in reach.
            connections.close_all()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


# Runs in every page before the page's own scripts: records what the CSP blocked.
CSP_WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
      `at ${event.sourceFile || location.href}:${event.lineNumber}`
  );
});
"""


def _watch_content_security_policy(browser: Browser) -> None:
    """Every context the journeys open records CSP violations; ``look`` fails on them."""
    new_context = browser.new_context

    def watched_context(*args: Any, **kwargs: Any) -> BrowserContext:
        context = new_context(*args, **kwargs)
        context.add_init_script(CSP_WATCH)
        return context

    def watched_page(*args: Any, **kwargs: Any) -> Page:
        return watched_context(*args, **kwargs).new_page()

    browser.new_context = watched_context  # type: ignore[method-assign]
    browser.new_page = watched_page  # type: ignore[method-assign]


def screenshot_path(name: str) -> str:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return str(SCREENSHOTS / f"{name}.png")


def look(page: Page, name: str) -> None:
    """Looks at the page as a reviewer would: saves a screenshot of it, then fails on any
    axe-core violation (WCAG 2.2 AA) or on a page wider than the viewport (WCAG 1.4.10)."""
    page.wait_for_load_state("load")
    page.screenshot(path=screenshot_path(name), full_page=True)
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run `make test`, which installs it")
    blocked = page.evaluate("window.__cspViolations || []")
    assert not blocked, f"the Content-Security-Policy blocked on {name} ({page.url}): {blocked}"
    problems = axe_violations(page)
    assert not problems, f"axe found on {name} ({page.url}):\n{json.dumps(problems, indent=2)}"
    # Against the configured width, not innerWidth: a mobile context widens its layout
    # viewport to the content, so a too-wide page would look as wide as the window.
    width = (page.viewport_size or {"width": 0})["width"] or page.evaluate("window.innerWidth")
    overflow = page.evaluate("document.documentElement.scrollWidth") - width
    assert overflow <= 1, f"{name} ({page.url}) scrolls sideways by {overflow}px (WCAG 1.4.10)"


E2E_PASSWORD = "Lindenblüte-im-Mai-42"
E2E_EMAIL = "e2e-citizen@example.org"


@pytest.fixture
def e2e_citizen(transactional_db: None, live_towns: dict[str, Municipality]) -> Iterator[str]:
    """A committed account (password ``E2E_PASSWORD``) on Tangerhütte; its e-mail address."""
    town, email = live_towns["a"], E2E_EMAIL
    with tenant_context(town):
        User.objects.create_user(email, E2E_PASSWORD, first_name="Erika", last_name="Mustermann")
    yield email
    with tenant_context(town):
        User.objects.filter(email__startswith="e2e-").delete()
