"""A citizen sets up a passkey on the phone, logs in with it and books an appointment, adds
the laptop as a second device and removes the phone's passkey: Chromium's virtual
authenticators (the DevTools WebAuthn domain) stand in for the fingerprint sensors; axe
checks every page."""

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, BrowserContext, Page, expect

from rathaus.modules.appointments.models import Booking
from rathaus.platform.identity.models import Passkey
from rathaus.tenants.models import Municipality
from tests.e2e.conftest import DESKTOP, E2E_EMAIL, E2E_PASSWORD, PHONE, look
from tests.e2e.test_citizen_booking_journey import _book, town_with_appointments

__all__ = ["town_with_appointments"]  # the fixture, used by name below

pytestmark = pytest.mark.e2e


def _device(browser: Browser, **options: object) -> tuple[BrowserContext, Page]:
    """A browser with a platform authenticator that says yes (fingerprint accepted)."""
    context = browser.new_context(locale="de-DE", **options)  # type: ignore[arg-type]
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return context, page


def _log_in_with_password(page: Page, base: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-Mail-Adresse").fill(E2E_EMAIL)
    page.get_by_label("Passwort").fill(E2E_PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("link", name="Mein Rathaus").first).to_be_visible()


def _add_passkey(page: Page, base: str, name: str, shot: str, *, link: str) -> None:
    page.goto(f"{base}/accounts/")
    look(page, f"{shot}-mein-rathaus")
    page.get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name="Passkeys", level=1)).to_be_visible()
    look(page, f"{shot}-passkeys")
    page.get_by_label("Name des Passkeys").fill(name)
    page.get_by_role("button", name="Passkey einrichten").click()
    expect(page.get_by_text(f"Der Passkey „{name}“ ist eingerichtet.")).to_be_visible()
    look(page, f"{shot}-passkey-added")


def _log_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden").first).to_be_visible()


def test_a_citizen_logs_in_by_fingerprint_on_the_phone_and_the_laptop(
    browser: Browser,
    live_port: int,
    e2e_citizen: str,
    live_towns: dict[str, Municipality],
    town_with_appointments: Municipality,
) -> None:
    base = f"http://tangerhuette.localhost:{live_port}"
    phone, phone_page = _device(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    laptop, laptop_page = _device(browser, viewport=DESKTOP)

    # On the phone: set up a passkey, log out, log in with it alone.
    _log_in_with_password(phone_page, base)
    _add_passkey(
        phone_page,
        base,
        "Telefon",
        "passkey-phone-1",
        link="Passkey einrichten (Fingerabdruck oder Gesicht)",
    )
    _log_out(phone_page)
    phone_page.goto(f"{base}/accounts/login/")
    look(phone_page, "passkey-phone-2-login")
    phone_page.get_by_role("button", name="Mit Passkey anmelden").click()
    expect(phone_page.get_by_role("link", name="Mein Rathaus").first).to_be_visible()
    phone_page.goto(f"{base}/accounts/passkeys/")
    expect(phone_page.get_by_text("zuletzt benutzt am")).to_be_visible()
    look(phone_page, "passkey-phone-3-used")
    # Logged in by fingerprint, the citizen books an appointment as herself.
    reference = _book(phone_page, base, "passkey-phone-3b")
    with tenant_context(live_towns["a"]):
        assert Booking.objects.get(reference=reference).user.email == E2E_EMAIL  # type: ignore[union-attr]

    # The laptop is a second device with a passkey of its own; from it the phone's is removed.
    _log_in_with_password(laptop_page, base)
    _add_passkey(laptop_page, base, "Laptop", "passkey-laptop-1", link="Passkeys verwalten")
    expect(laptop_page.get_by_role("heading", name="Telefon")).to_be_visible()
    laptop_page.get_by_role("button", name="„Telefon“ entfernen").click()
    expect(laptop_page.get_by_text("Der Passkey ist entfernt.")).to_be_visible()
    expect(laptop_page.get_by_role("heading", name="Telefon")).to_have_count(0)
    look(laptop_page, "passkey-laptop-2-phone-removed")
    with tenant_context(live_towns["a"]):
        assert list(Passkey.objects.values_list("name", flat=True)) == ["Laptop"]

    # The phone's passkey no longer opens the account; the laptop's does.
    _log_out(phone_page)
    phone_page.goto(f"{base}/accounts/login/")
    phone_page.get_by_role("button", name="Mit Passkey anmelden").click()
    expect(
        phone_page.get_by_text("Diesen Passkey kennt das digitale Rathaus dieser Kommune nicht.")
    ).to_be_visible()
    look(phone_page, "passkey-phone-4-removed-key-refused")
    _log_out(laptop_page)
    laptop_page.goto(f"{base}/accounts/login/")
    laptop_page.get_by_role("button", name="Mit Passkey anmelden").click()
    expect(laptop_page.get_by_role("link", name="Mein Rathaus").first).to_be_visible()
    phone.close()
    laptop.close()
