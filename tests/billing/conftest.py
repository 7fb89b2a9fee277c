"""A real localstripe server for the billing tests, on 127.0.0.1 and a free port."""

import sys
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from tests.conftest import ROOT
from tests.local_servers import free_port, local_server


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """The base URL of a localstripe process that lives for the test session (state in memory)."""
    port = free_port()
    command = [sys.executable, str(ROOT / "infra" / "localstripe_server.py"), "--port", str(port)]
    with local_server(command, port=port, name="localstripe", cwd=ROOT):
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def stripe_api(localstripe_url: str, settings: Any) -> stripe.StripeClient:
    """Points the app at localstripe, emptied for this test; the client to look at what it holds."""
    settings.STRIPE_API_BASE = localstripe_url
    client = stripe.StripeClient(
        settings.STRIPE_API_KEY, base_addresses={"api": localstripe_url}, max_network_retries=0
    )
    # Our own local server over http: not an arbitrary URL (S310).
    flush = urllib.request.Request(f"{localstripe_url}/_config/data", method="DELETE")  # noqa: S310
    urllib.request.urlopen(flush, timeout=5).close()  # noqa: S310
    return client


LIST_PRICES = {  # as the migration seeds them; a flushing (transactional) test may remove them
    "module_contact": "19.00",
    "module_news": "29.00",
    "module_appointments": "79.00",
    "module_applications": "99.00",
}


@pytest.fixture(autouse=True)
def list_prices(request: pytest.FixtureRequest) -> None:
    """The seeded prices, there again if a transactional test flushed them; no Stripe ids yet
    (each test empties localstripe)."""
    wanted = [name for name in ("transactional_db", "db") if name in request.fixturenames]
    if not wanted:
        return
    request.getfixturevalue(wanted[0])
    from decimal import Decimal

    from rathaus.billing.models import ModulePrice

    for key, monthly in LIST_PRICES.items():
        for population_from, factor in ((0, 1), (20_000, 2)):
            for interval, months in (("month", 1), ("year", 10)):
                ModulePrice.objects.update_or_create(
                    price_key=key,
                    interval=interval,
                    population_from=population_from,
                    defaults={
                        "amount": Decimal(monthly) * factor * months,
                        "stripe_price_id": "",
                        "stripe_amount": None,
                    },
                )
