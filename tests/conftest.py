"""Fixtures shared by the whole suite.

Towns are created once per test session (committed, like in production) and
each test runs in a transaction on top of them, so the suite stays fast.
"""

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_django.fixtures as pytest_django_fixtures
import stripe
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.utils import translation

from rathaus.tenants.db import tenant_connection
from rathaus.tenants.hosts import AllowedHosts
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import municipality_create, town_host
from tests.local_servers import free_port, local_server
from tests.print_standin import PrintStandin
from tests.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[1]


def _always_with_default_database(setup: Any) -> Any:
    # pytest-django sets up only the databases of tests that ask for `db`; the
    # session's towns (and the worker and server tests built on them) need the
    # test database even when only such tests are selected.
    def aliases(items: Any) -> tuple[set[str], set[str]]:
        databases, serialized = setup(items)
        return {*databases, "default"}, serialized

    return aliases


pytest_django_fixtures._get_databases_for_setup = _always_with_default_database(
    pytest_django_fixtures._get_databases_for_setup
)


@pytest.fixture(scope="session", autouse=True)
def _allowed_hosts_as_in_production(django_test_environment: None) -> None:
    # Django's test environment copies ALLOWED_HOSTS into a plain list (adding
    # "testserver"); keep the class that admits towns' custom domains.
    settings.ALLOWED_HOSTS = AllowedHosts(settings.ALLOWED_HOSTS)


TOWNS = {
    "a": {"name": "Tangerhütte", "slug": "tangerhuette", "ags": "15090520"},
    "b": {"name": "Hohe Börde", "slug": "hohe-boerde", "ags": "15083298"},
}


@pytest.fixture(scope="session")
def towns(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> dict[str, Municipality]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        return {key: municipality_create(**spec) for key, spec in TOWNS.items()}


def _alive(towns: dict[str, Municipality], key: str) -> Municipality:
    """A fresh copy of a session town, so no test sees another test's in-memory changes.

    A transactional test's flush empties the public tables; the town's schema
    survives, so registering the town again is cheap (no migrations).
    """
    town = Municipality.objects.filter(pk=towns[key].pk).first()
    if town is None:
        town = towns[key] = municipality_create(**TOWNS[key])
    return town


@pytest.fixture
def live_towns(
    towns: dict[str, Municipality], django_db_blocker: pytest.FixtureRequest
) -> dict[str, Municipality]:
    """The towns, committed: for tests whose other processes (worker, server) must see them."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for key in TOWNS:
            _alive(towns, key)
    return towns


@pytest.fixture
def town_a(towns: dict[str, Municipality], db: None) -> Municipality:
    return _alive(towns, "a")


@pytest.fixture
def town_b(towns: dict[str, Municipality], db: None) -> Municipality:
    return _alive(towns, "b")


def host_client(host: str) -> Client:
    """A browser on ``host``; like a real one, it keeps its cookies across requests."""
    return Client(HTTP_HOST=host)


@pytest.fixture
def client_a(town_a: Municipality) -> Client:
    return host_client(town_host(slug=town_a.slug))


@pytest.fixture
def client_b(town_b: Municipality) -> Client:
    return host_client(town_host(slug=town_b.slug))


@pytest.fixture
def public_client(db: None) -> Client:
    return host_client("localhost")


@pytest.fixture(autouse=True)
def _clean_cache_and_schema() -> Iterator[None]:
    # Every test starts with an empty Redis cache, in the public schema, in German: a
    # request in English leaves its language active in the thread (LocaleMiddleware).
    caches["platform"].clear()
    translation.activate(settings.LANGUAGE_CODE)
    yield
    caches["platform"].clear()
    tenant_connection.set_schema_to_public()


def _test_database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 and a free port; the worker sends mail to it."""
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def worker_sms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The file the worker's SMS go to (``FileSmsBackend``: one JSON line each)."""
    return tmp_path_factory.mktemp("worker-sms") / "sms.jsonl"


@pytest.fixture(scope="session")
def print_standin() -> Iterator[PrintStandin]:
    """The print partner's stand-in (Pingen's API); this process and the worker use it."""
    standin = PrintStandin().start()
    for name, value in standin.env().items():
        setattr(settings, name, value)
    yield standin
    standin.stop()


@pytest.fixture(scope="session")
def celery_worker(
    towns: dict[str, Municipality],
    smtp_sink: SmtpSink,
    worker_sms: Path,
    print_standin: PrintStandin,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """A real Celery worker process on the test database and the test queue.

    Its e-mail goes over SMTP to ``smtp_sink``, its SMS to the file ``worker_sms``,
    its letters to ``print_standin``.
    """
    from rathaus.config.celery import app

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rathaus.config.settings.test",
        "DATABASE_URL": _test_database_url(),
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": smtp_sink.host,
        "EMAIL_PORT": str(smtp_sink.port),
        "TEST_SMS_BACKEND": "rathaus.platform.messaging.contrib.sms.backends.FileSmsBackend",
        "SMS_FILE_PATH": str(worker_sms.parent),
        **print_standin.env(),
    }
    app.control.purge()
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    log = log_path.open("wb")
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rathaus.config.celery",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "-Q",
            app.conf.task_default_queue,
            f"--hostname=test-{app.conf.task_default_queue}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Celery worker for the tests did not start")
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    # An error in the worker (a task that raised, a missing table) fails the suite,
    # even where no test waited for that task's effect.
    errors = worker_errors(log_path.read_text(errors="replace"))
    if errors:
        pytest.fail("the Celery worker logged errors:\n" + "\n".join(errors[:40]))


def worker_errors(log: str) -> list[str]:
    """The lines of a worker's log that say something failed, with what follows each."""
    lines = log.splitlines()
    found = []
    for n, line in enumerate(lines):
        if " ERROR" in line or line.startswith("Traceback"):
            found.extend(lines[n : n + 12])
    return found


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
