"""PostgreSQL drops every connection of the web server, as a restart or a fail-over does.

gunicorn keeps its database connections between requests (``CONN_MAX_AGE``); after
PostgreSQL ended them, the next request on each must not fail: Django checks a kept
connection before using it (``CONN_HEALTH_CHECKS``) and opens a new one. The shared
test server is not restarted (other sessions use it); ending the backends of our own
server, found by their application name, is what a restart does to its clients.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import requests
from django.db import connection

from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.conftest import ROOT, _test_database_url
from tests.local_servers import free_port, wait_for_port

pytestmark = [pytest.mark.e2e]

APPLICATION = "rathaus-restart-test"
REQUESTS = 16  # each on a new connection: whichever worker and thread takes it
HEALTH_REPORTS = 4  # each waits a second for the (absent) Celery worker's answer


@pytest.fixture
def gunicorn_port(live_towns: dict[str, Municipality]) -> Iterator[int]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rathaus.config.settings.test",
        "DATABASE_URL": f"{_test_database_url()}?{urlencode({'application_name': APPLICATION})}",
        "DATABASE_CONN_MAX_AGE": "600",
    }
    command = [
        sys.executable, "-m", "gunicorn", "rathaus.config.wsgi",
        "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
        "--workers", "2", "--threads", "4", "--log-level", "warning",
    ]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        wait_for_port(port, server, name="gunicorn", timeout=60)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _server_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s", [APPLICATION]
        )
        return int(cursor.fetchone()[0])


def _end_server_backends() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE application_name = %s",
            [APPLICATION],
        )
        return int(cursor.fetchone()[0])


def _gone_within(*, seconds: float) -> int:
    """The server's backends left once they had time to end (``pg_terminate_backend``
    only signals them)."""
    deadline = time.monotonic() + seconds
    while (left := _server_backends()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_every_request_after_the_database_dropped_the_connections_succeeds(
    gunicorn_port: int,
    live_towns: dict[str, Municipality],
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    base = f"http://127.0.0.1:{gunicorn_port}"
    town = {"Host": town_host(slug=live_towns["a"].slug), "Connection": "close"}
    # The operator's health report asks the database on every request (no cache).
    vendor = {"Host": "localhost", "Connection": "close"}

    def round_trip() -> list[object]:
        pages = [requests.get(f"{base}/", headers=town, timeout=30) for _ in range(REQUESTS)]
        reports = [
            requests.get(f"{base}/healthz", headers=vendor, timeout=30).json()
            for _ in range(HEALTH_REPORTS)
        ]
        return [(p.status_code, "Tangerhütte" in p.text) for p in pages] + [
            r["checks"]["database"]["ok"] for r in reports
        ]

    before = round_trip()
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        kept = _server_backends()
        ended = _end_server_backends()
        left = _gone_within(seconds=10)
    after = round_trip()
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        again = _server_backends()

    fine = [(200, True)] * REQUESTS + [True] * HEALTH_REPORTS
    assert before == fine
    assert kept >= 1, "gunicorn kept no connection, so nothing would be tested"
    assert ended == kept
    assert left == 0
    assert after == fine
    assert again >= 1  # it connected again, and keeps its new connections
