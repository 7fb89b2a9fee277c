"""A real localstripe server for the billing tests, on 127.0.0.1 and a free port."""

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import stripe

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    """The base URL of a localstripe process that lives for the test session (state in memory)."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "infra" / "localstripe_server.py"), "--port", str(port)],
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("localstripe did not start") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


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
