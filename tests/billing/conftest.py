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
