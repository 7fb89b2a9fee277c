"""Towns stay apart behind a real PgBouncer (Debian's package), in the mode docs/operations.md
recommends: session pooling, with the application's connections closed after each request.

django-tenants switches towns with a session-level ``SET search_path`` and, with
``TENANT_LIMIT_SET_CALLS``, sets it once per connection. Transaction pooling hands
each transaction whichever server connection is free, so a search_path set by one
client is seen by another (django-tenants issue #732); the second test shows that
happening, step by step, which is why the docs do not recommend it.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import psycopg
import pytest
import requests
from django.core.cache import caches
from django.db import connection
from django_tenants.postgresql_backend.base import DatabaseWrapper
from django_tenants.utils import tenant_context

from rathaus.modules.models import ModuleActivation
from rathaus.modules.news.models import Post, Topic
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.conftest import ROOT
from tests.local_servers import free_port, local_server
from tests.modules.conftest import switch_on
from tests.modules.news.conftest import make_post, make_topic
from tests.pgbouncer import Bouncer, pgbouncer

pytestmark = pytest.mark.pgbouncer

TITLES = {"a": "Nur in Tangerhütte: Stadtfest am Sonntag", "b": "Nur in Hohe Börde: Kita-Anmeldung"}
# Enough for every request thread to meet both towns many times, few enough for 2 busy cores.
REQUESTS = 80


@pytest.fixture
def news_in_both_towns(
    transactional_db: None, live_towns: dict[str, Municipality]
) -> Iterator[dict[str, Municipality]]:
    """Each town has news switched on and one post only it has, committed; removed afterwards."""
    for key, title in TITLES.items():
        town = live_towns[key]
        switch_on(town, "news")
        make_post(town, make_topic(town, "Aktuelles"), title=title)
    yield live_towns
    for key in TITLES:
        town = live_towns[key]
        ModuleActivation.objects.filter(town=town).delete()
        with tenant_context(town):
            Post.objects.all().delete()
            Topic.objects.all().delete()
    caches["platform"].clear()


def _served_transactions(bouncer: Bouncer) -> int:
    """How many transactions PgBouncer passed to the test database (its admin console)."""
    with psycopg.connect(
        host="127.0.0.1",
        port=bouncer.port,
        dbname="pgbouncer",
        user=bouncer.user,
        password=bouncer.password,
        autocommit=True,
        cursor_factory=psycopg.ClientCursor,
    ) as admin:
        rows = admin.execute("SHOW STATS").fetchall()
        names = [column.name for column in admin.execute("SHOW STATS").description or []]
    stats = [dict(zip(names, row, strict=True)) for row in rows]
    return sum(int(row["total_xact_count"]) for row in stats if row["database"] == bouncer.database)


def test_concurrent_requests_of_two_towns_through_session_pooling_never_see_each_other(
    news_in_both_towns: dict[str, Municipality],
) -> None:
    # Two server connections for six request threads: every server connection
    # serves both towns, one request after another (CONN_MAX_AGE=0 hands it back).
    with pgbouncer(db=connection.settings_dict, pool_mode="session", pool_size=2) as bouncer:
        port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "rathaus.config.settings.test",
            "DATABASE_URL": bouncer.url(),
            "DATABASE_CONN_MAX_AGE": "0",
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "rathaus.config.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "--worker-class=gthread",
            "--threads=6",
            "--log-level=warning",
            "--timeout=120",
        ]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        with local_server(command, port=port, name="gunicorn", cwd=ROOT, env=env, **quiet):
            before = _served_transactions(bouncer)

            def read_feed(key: str) -> tuple[str, int, str]:
                host = town_host(slug=news_in_both_towns[key].slug)
                response = requests.get(
                    f"http://127.0.0.1:{port}/news/feed/", headers={"Host": host}, timeout=120
                )
                return key, response.status_code, response.text

            with ThreadPoolExecutor(max_workers=8) as pool:
                answers = list(pool.map(read_feed, ["a", "b"] * (REQUESTS // 2)))
            served = _served_transactions(bouncer) - before

    assert len(answers) == REQUESTS
    for key, status, text in answers:
        other = "b" if key == "a" else "a"
        assert status == 200, text[:500]
        assert TITLES[key] in text
        assert TITLES[other] not in text, f"a request of town {key} read town {other}'s news"
    # Every request really went through PgBouncer (at least one transaction each).
    assert served >= REQUESTS


def _titles(wrapper: Any) -> list[str]:
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT title FROM news_post ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    ("pool_mode", "leaks"),
    [("session", False), ("transaction", True)],
    ids=["session", "transaction"],
)
def test_two_connections_of_django_tenants_through_one_server_connection(
    news_in_both_towns: dict[str, Municipality], pool_mode: str, leaks: bool
) -> None:
    """Two application connections (django-tenants' own backend, search_path set once per
    connection as in production) take turns on PgBouncer's single server connection."""
    towns = news_in_both_towns
    with pgbouncer(db=connection.settings_dict, pool_mode=pool_mode, pool_size=1) as bouncer:
        first = DatabaseWrapper(bouncer.settings_dict(connection.settings_dict), alias="first")
        second = DatabaseWrapper(bouncer.settings_dict(connection.settings_dict), alias="second")
        try:
            first.set_tenant(towns["a"])
            assert _titles(first) == [TITLES["a"]]
            if pool_mode == "session":
                # A session keeps its server connection until it ends: the next
                # client gets it afterwards, reset (DISCARD ALL).
                first.close()
            second.set_tenant(towns["b"])
            assert _titles(second) == [TITLES["b"]]
            if pool_mode == "session":
                second.close()
            # The first connection asks again for town A's news, as the next
            # request of a worker thread would.
            seen = _titles(first)
        finally:
            first.close()
            second.close()

    if leaks:
        assert seen == [TITLES["b"]], "transaction pooling was expected to leak town B's schema"
    else:
        assert seen == [TITLES["a"]]
