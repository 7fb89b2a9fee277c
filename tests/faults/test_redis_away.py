"""Redis stops under a running server: pages answer from the database, health says degraded.

The server here has a Redis of its own (cache and broker), which the test stops and
starts again; nothing else shares it.
"""

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
import requests

from rathaus.tenants.models import Municipality
from tests.conftest import ROOT, _test_database_url
from tests.faults.conftest import OwnRedis
from tests.local_servers import free_port, local_server

pytestmark = pytest.mark.e2e


@pytest.fixture
def server_on_own_redis(own_redis: OwnRedis, live_towns: dict[str, Municipality]) -> Iterator[int]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rathaus.config.settings.test",
        "DATABASE_URL": _test_database_url(),
        "TEST_REDIS_URL": f"redis://127.0.0.1:{own_redis.port}/0",
        "TEST_CELERY_BROKER_URL": f"redis://127.0.0.1:{own_redis.port}/1",
        "TEST_CELERY_RESULT_BACKEND": f"redis://127.0.0.1:{own_redis.port}/2",
    }
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with local_server(command, port=port, name="the server", cwd=ROOT, env=env, **quiet):
        yield port


def _get(port: int, path: str, host: str = "tangerhuette.localhost") -> requests.Response:
    return requests.get(f"http://127.0.0.1:{port}{path}", headers={"Host": host}, timeout=10)


def test_pages_answer_from_the_database_while_redis_is_away(
    own_redis: OwnRedis, server_on_own_redis: int
) -> None:
    port = server_on_own_redis
    assert _get(port, "/").status_code == 200  # the host lookup is cached now

    own_redis.stop()
    home = _get(port, "/")
    other_town = _get(port, "/", host="hohe-boerde.localhost")
    search = _get(port, "/?q=Hund")
    login = requests.Session()
    form = login.get(
        f"http://127.0.0.1:{port}/accounts/login/",
        headers={"Host": "tangerhuette.localhost"},
        timeout=10,
    )
    refused = login.post(
        f"http://127.0.0.1:{port}/accounts/login/",
        headers={"Host": "tangerhuette.localhost", "Referer": "http://tangerhuette.localhost/"},
        data={
            "username": "niemand@example.org",
            "password": "falsch",
            "csrfmiddlewaretoken": login.cookies.get("csrftoken", ""),
        },
        timeout=10,
    )
    health = _get(port, "/healthz", host="localhost")

    assert home.status_code == 200
    assert "Tangerhütte" in home.text
    assert other_town.status_code == 200
    assert "Hohe Börde" in other_town.text
    assert search.status_code == 200
    assert form.status_code == 200
    # The form is checked and answered with its error: the lockout counts in the database.
    assert refused.status_code == 200
    assert 'role="alert"' in refused.text
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["checks"]["redis"]["ok"] is False
    assert health.json()["checks"]["database"]["ok"] is True

    own_redis.start()
    assert _get(port, "/").status_code == 200
    assert _get(port, "/healthz", host="localhost").json()["checks"]["redis"]["ok"] is True
