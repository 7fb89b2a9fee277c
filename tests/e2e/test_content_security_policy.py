"""The browser enforces the pages' Content-Security-Policy, and the journeys notice a breach."""

import pytest
from playwright.sync_api import Browser

from rathaus.tenants.models import Municipality
from tests.e2e.conftest import look

pytestmark = pytest.mark.e2e


def test_an_injected_inline_script_is_blocked_and_fails_the_journey(
    browser: Browser, live_port: int, live_towns: dict[str, Municipality]
) -> None:
    page = browser.new_context(locale="de-DE").new_page()
    page.goto(f"http://tangerhuette.localhost:{live_port}/")
    # What an XSS would do: add a script element without the response's nonce.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.pwned = true'; document.body.append(s); }"
    )

    assert page.evaluate("window.pwned") is None
    with pytest.raises(AssertionError, match="script-src"):
        look(page, "csp-blocked-inline-script")
