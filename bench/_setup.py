"""Shared start-up of the benchmarks: each runs in a database, Redis databases and a
Celery queue of its own, so it needs no environment and disturbs nothing.

    from _setup import bench_setup

    bench = bench_setup("rollout")  # first, before anything imports rathaus

``bench_setup``

- makes sure PostgreSQL and Redis answer (``infra/scripts/ensure-services.sh``
  installs and starts them if not, as for ``make run``);
- creates the scratch database ``rathaus_bench_<name>`` (dropping what an
  interrupted run left) and drops it again when the bench ends, however it ends;
- points Django at it, at Redis databases 13 (cache, emptied at start and end),
  14 (broker) and 15 (results), and at the Celery queue ``rathaus-bench-<name>``:
  ``make run`` uses 0-2 and the queue ``rathaus``, the tests 10-12 and
  ``rathaus-test``, so a bench never takes their tasks nor they its own;
- migrates the database (``manage.py migrate_all``: public schema and the town
  schema template) and starts Django on the development settings, DEBUG off;
- stops the bench with a message naming the limit after ``timeout`` seconds.

All optional: ``BENCH_POSTGRES_URL`` (server and role that create the scratch
database; default ``postgres://rathaus:rathaus@127.0.0.1:5432/postgres``),
``BENCH_REDIS_URL``, ``BENCH_CELERY_BROKER_URL``, ``BENCH_CELERY_RESULT_BACKEND``
(defaults: the Redis databases above on 127.0.0.1:6379), ``BENCH_TIMEOUT``
(seconds). Any ``DATABASE_URL``, ``REDIS_URL``, ``CELERY_*`` or
``DJANGO_SETTINGS_MODULE`` in the environment is ignored.
"""

import atexit
import faulthandler
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES_URL = "postgres://rathaus:rathaus@127.0.0.1:5432/postgres"
DEFAULT_REDIS = {
    "BENCH_REDIS_URL": "redis://127.0.0.1:6379/13",
    "BENCH_CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
    "BENCH_CELERY_RESULT_BACKEND": "redis://127.0.0.1:6379/15",
}
# Set for the bench and every process it starts, whatever the caller's environment says.
CONTROLLED = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")


class BenchTimeout(SystemExit):
    """The bench ran longer than its limit; raised in the main thread by SIGALRM."""


@dataclass(frozen=True)
class Bench:
    name: str
    database: str
    database_url: str
    queue: str
    timeout: int


def bench_setup(
    name: str,
    *,
    timeout: int = 900,
    migrate: bool = True,
    django: bool = True,
    settings: str = "rathaus.config.settings.development",
) -> Bench:
    """Prepares the bench ``name`` (see the module's docstring) and returns where it runs.

    ``migrate=False`` leaves the scratch database empty, ``django=False`` does
    not start Django in this process (for a bench that runs ``manage.py``
    itself, with ``settings``).
    """
    sys.path.insert(0, str(ROOT))
    timeout = int(os.environ.get("BENCH_TIMEOUT", timeout))
    admin_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    redis_urls = {key: os.environ.get(key, default) for key, default in DEFAULT_REDIS.items()}
    _ensure_services(admin_url, list(redis_urls.values()))

    database = f"rathaus_bench_{name}"
    bench = Bench(
        name=name,
        database=database,
        database_url=_with_database(admin_url, database),
        queue=f"rathaus-bench-{name}",
        timeout=timeout,
    )
    for key in CONTROLLED:
        os.environ.pop(key, None)
    os.environ.update(
        DJANGO_SETTINGS_MODULE=settings,
        DATABASE_URL=bench.database_url,
        REDIS_URL=redis_urls["BENCH_REDIS_URL"],
        CELERY_BROKER_URL=redis_urls["BENCH_CELERY_BROKER_URL"],
        CELERY_RESULT_BACKEND=redis_urls["BENCH_CELERY_RESULT_BACKEND"],
        CELERY_TASK_DEFAULT_QUEUE=bench.queue,
        DEBUG="false",  # DEBUG keeps every query in memory
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"),
    )
    _stop_after(timeout, name)

    _create_database(admin_url, database)
    atexit.register(_drop_database, admin_url, database)
    _empty_redis(redis_urls["BENCH_REDIS_URL"])
    atexit.register(_empty_redis, redis_urls["BENCH_REDIS_URL"])
    if migrate:
        started = time.perf_counter()
        _manage("migrate_all", "-v", "0")
        print(f"[bench] {database} migrated in {time.perf_counter() - started:.0f} s")
    if django:
        import django as django_module

        django_module.setup()
        atexit.register(_purge_queue, bench.queue)
    return bench


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _ensure_services(admin_url: str, redis_urls: list[str]) -> None:
    """Starts PostgreSQL and Redis as ``make`` does when either does not answer."""
    problems = _unreachable(admin_url, redis_urls)
    if not problems:
        return
    print(f"[bench] {'; '.join(problems)}: running infra/scripts/ensure-services.sh")
    subprocess.run(["bash", str(ROOT / "infra/scripts/ensure-services.sh")], cwd=ROOT, check=False)  # noqa: S603,S607
    problems = _unreachable(admin_url, redis_urls)
    if problems:
        raise SystemExit(
            f"[bench] cannot start: {'; '.join(problems)}. Run `make services` as root, or set "
            "BENCH_POSTGRES_URL / BENCH_REDIS_URL (see bench/_setup.py)."
        )


def _unreachable(admin_url: str, redis_urls: list[str]) -> list[str]:
    problems = []
    try:
        psycopg.connect(admin_url, connect_timeout=3).close()
    except psycopg.Error as error:
        problems.append(f"PostgreSQL at {_safe(admin_url)} does not answer ({error})".strip())
    for url in redis_urls:
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
        except redis.RedisError as error:
            problems.append(f"Redis at {url} does not answer ({error})")
    return problems


def _safe(url: str) -> str:
    """The server of ``url``, without the password."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or 5432}"


def _create_database(admin_url: str, database: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
        # Left by a run that was killed before it could clean up.
        admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{database}"')


def _drop_database(admin_url: str, database: str) -> None:
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    except psycopg.Error as error:
        print(f"[bench] could not drop {database}: {error}", file=sys.stderr)


def _empty_redis(url: str) -> None:
    # Only the benches' own cache database: entries keyed by ids of an earlier
    # scratch database would be wrong for this one.
    redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10).flushdb()


def _purge_queue(queue: str) -> None:
    """Tasks the bench queued and no worker took (e.g. warm-pool refills) go with it."""
    from rathaus.config.celery import app

    with app.connection_for_write() as broker:
        broker.default_channel.queue_purge(queue)


def _manage(*args: str) -> None:
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"[bench] manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def _stop_after(timeout: int, name: str) -> None:
    """A clear stop instead of a hang: SIGALRM ends the bench (cleaning up), and if even
    that does not get through, faulthandler prints every thread's stack and exits."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise BenchTimeout(
            f"[bench] {name}: stopped after {timeout} s, its limit (BENCH_TIMEOUT). "
            "Something it waits for did not happen: is a worker or service stuck?"
        )

    def terminated(signum: int, frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)  # so that the scratch database is dropped

    signal.signal(signal.SIGALRM, expired)
    signal.signal(signal.SIGTERM, terminated)
    signal.alarm(timeout)
    faulthandler.dump_traceback_later(timeout + 120, exit=True)
