"""Errors reach Sentry tagged with the town they happened in."""

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import sentry_sdk
from django_tenants.utils import tenant_context

from rathaus.platform.observability import init_sentry
from rathaus.tenants.models import Municipality


class _SentrySink(BaseHTTPRequestHandler):
    """A minimal Sentry ingestion endpoint that keeps the envelopes it receives."""

    received: list[dict[str, object]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # the SDK's choice where brotli is installed (Locust brings it)
            import brotli

            body = brotli.decompress(body)
        for line in body.splitlines():
            item = json.loads(line)
            if "exception" in item:
                self.received.append(item)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def sentry_sink() -> Iterator[list[dict[str, object]]]:
    server = HTTPServer(("127.0.0.1", 0), _SentrySink)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _SentrySink.received = []
    init_sentry(dsn=f"http://public@127.0.0.1:{server.server_port}/1", environment="test")
    try:
        yield _SentrySink.received
    finally:
        sentry_sdk.get_client().close()
        sentry_sdk.init()  # off again for the other tests
        server.shutdown()


def test_an_error_in_a_town_is_reported_with_the_towns_tag(
    sentry_sink: list[dict[str, object]], town_a: Municipality
) -> None:
    with tenant_context(town_a):
        try:
            raise ValueError("Fehler beim Bescheid")
        except ValueError:
            sentry_sdk.capture_exception()
    sentry_sdk.flush(timeout=5)

    assert len(sentry_sink) == 1
    assert sentry_sink[0]["tags"] == {"town": "tangerhuette"}


def test_sentry_stays_off_without_a_dsn() -> None:
    assert init_sentry(dsn="", environment="test") is False
