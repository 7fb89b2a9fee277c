"""Billing as people see it: the town admin's invoices and the dunning banner, the vendor's
revenue page; Stripe's webhooks delivered by the stand-in to the running server."""

import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django_tenants.utils import tenant_context
from playwright.sync_api import Browser, expect

from rathaus.billing.models import BillingAccount, StripeEvent
from rathaus.billing.subscriptions import billing_subscription_sync
from rathaus.billing.webhooks import stripe_event_apply
from rathaus.modules.models import ModuleActivation
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.billing.conftest import list_prices  # noqa: F401 (fixtures)
from tests.billing.helpers import allow_only, standin
from tests.e2e.conftest import DESKTOP, PHONE, look
from tests.factories import PASSWORD
from tests.platform.staff.conftest import make_staff

pytestmark = pytest.mark.e2e
ADMIN_EMAIL = "e2e-kasse@tangerhuette.de"
VENDOR_EMAIL = "e2e-abrechnung@rathaus-betreiber.de"
DAY = 86400


@pytest.fixture
def billed_town(
    transactional_db: None,
    live_towns: dict[str, Municipality],
    live_port: int,
    request: pytest.FixtureRequest,
    settings: Any,
) -> Iterator[Municipality]:
    """Tangerhütte with two modules and its subscription, and Stripe's webhooks pointed at
    the running server; all committed, so the server process sees it, and removed afterwards."""
    request.getfixturevalue("stripe_api")  # localstripe, emptied; the app pointed at it
    town = live_towns["a"]
    hook = urllib.parse.urlencode(
        {
            "url": f"http://localhost:{live_port}/billing/webhooks/stripe/",
            "secret": settings.STRIPE_WEBHOOK_SECRET,
        }
    ).encode()
    register = urllib.request.Request(  # noqa: S310 (our own local server)
        f"{settings.STRIPE_API_BASE}/_config/webhooks/e2e", data=hook
    )
    urllib.request.urlopen(register, timeout=5).close()  # noqa: S310
    make_staff(town, ADMIN_EMAIL, ["town_admin"])
    User.objects.create_user(VENDOR_EMAIL, PASSWORD, is_staff=True, first_name="Abrechnung")
    allow_only(town, "contact", "news")
    billing_subscription_sync(town=town)
    yield town
    ModuleActivation.objects.filter(town=town).delete()
    BillingAccount.objects.filter(town=town).delete()
    StripeEvent.objects.all().delete()
    with tenant_context(town):
        User.objects.filter(email=ADMIN_EMAIL).delete()
    User.objects.filter(email=VENDOR_EMAIL)._raw_delete(using="default")
    caches["platform"].clear()


def _apply_delivered(at_least: int) -> int:
    """Waits until the server has stored ``at_least`` events, then applies them as the worker
    would (the server queued them; no worker runs in this test)."""
    deadline = time.monotonic() + 20
    while StripeEvent.objects.count() < at_least:
        assert time.monotonic() < deadline, "the stand-in's webhooks did not reach the server"
        time.sleep(0.2)
    for stripe_id in StripeEvent.objects.filter(applied__isnull=True).values_list(
        "stripe_id", flat=True
    ):
        stripe_event_apply(event_id=stripe_id)
    return StripeEvent.objects.count()


def test_the_town_admin_sees_invoices_then_the_overdue_banner_and_the_vendor_sees_it_too(
    browser: Browser, live_port: int, billed_town: Municipality
) -> None:
    # subscription created, invoice created and finalized: delivered, signed, to the server.
    seen = _apply_delivered(at_least=3)
    base = f"http://tangerhuette.localhost:{live_port}"

    for device, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page = browser.new_context(locale="de-DE", viewport=viewport).new_page()
        page.goto(f"{base}/accounts/login/?next=/staff/billing/")
        page.get_by_label("E-Mail-Adresse").fill(ADMIN_EMAIL)
        page.get_by_label("Passwort").fill(PASSWORD)
        page.get_by_role("button", name="Anmelden", exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Abrechnung")
        expect(page.get_by_text("19,00 € monatlich")).to_be_visible()
        expect(page.get_by_role("link", name="(PDF)")).to_have_count(1)
        look(page, f"billing-{device}-1-town-invoices")

    # A month goes by unpaid: Stripe makes the subscription past due and says so.
    standin("/_billing/clock", advance=31 * DAY)
    _apply_delivered(at_least=seen + 3)
    page.goto(f"{base}/staff/")
    expect(page.get_by_text("Zahlung überfällig")).to_be_visible()
    look(page, "billing-phone-2-staff-banner")
    page.goto(f"{base}/staff/billing/")
    expect(page.get_by_text("überfällig", exact=True)).to_be_visible()  # the standing
    expect(page.get_by_role("link", name="(PDF)")).to_have_count(2)  # and the new month's
    look(page, "billing-phone-3-town-invoices-overdue")

    vendor = browser.new_context(locale="de-DE", viewport=DESKTOP).new_page()
    vendor.goto(f"http://localhost:{live_port}/console/login/?next=/console/billing/")
    vendor.get_by_label("E-Mail-Adresse").fill(VENDOR_EMAIL)
    vendor.get_by_label("Passwort").fill(PASSWORD)
    vendor.get_by_role("button", name="Anmelden", exact=True).click()
    expect(vendor.get_by_role("heading", level=1)).to_have_text("Abrechnung")
    expect(vendor.get_by_text("48,00 €")).to_be_visible()
    expect(vendor.get_by_role("link", name="Tangerhütte")).to_be_visible()
    look(vendor, "billing-desktop-4-console-revenue")
