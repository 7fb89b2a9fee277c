"""Load benchmark: 200 citizens and 10 staff against gunicorn, and the tenancy overhead.

Runs in a scratch database with the demo towns (``load_demo``), Redis databases and
a Celery queue of its own (bench/_setup.py; no environment needed):

    .venv/bin/python bench/load.py [--seconds 60] [--citizens 200] [--staff 10]

gunicorn serves the app as the image does (gthread, ``--workers 2 --threads 4``,
DEBUG off, ``TRUSTED_PROXIES=1`` as behind the ALB). Locust (headless) runs the
visitors of ``bench/load_visitors.py``: home page, service search, free slots,
booking, news subscription, login and "Mein Rathaus"; staff on the dashboard, the
appointments and the audit log. Prints per page the requests, failures, requests
per second and p50/p95/p99 in ms, then the totals (errors must be 0).

Then the tenancy overhead, in this process through Django's full handler: the same
two views (home page, login form) with the tenant middleware (host lookup, schema
switch) and with a stand-in that has the town fixed, in alternating rounds; the
last line is the ratio of the medians (goal: at most 1.05).
"""

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, _manage, bench_setup

bench = bench_setup("load", timeout=1500, django=False)

from _servers import gunicorn_serving  # noqa: E402 (after the bench's set-up)

from tests.local_servers import free_port  # noqa: E402 (ROOT on the path now)

GOAL_OVERHEAD = 1.05


def _warm_up(port: int) -> None:
    """Each town's home page once (the workers import the app lazily), so the load
    starts against a server that answers."""
    import urllib.request

    for host in ("tangerhuette.localhost", "hohe-boerde.localhost"):
        request = urllib.request.Request(f"http://127.0.0.1:{port}/", headers={"Host": host})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as answer:  # noqa: S310
            print(f"[bench] {host}: {answer.status} in {time.perf_counter() - started:.1f} s")


def run_load(*, seconds: int, citizens: int, staff: int) -> int:
    port = free_port()
    env = {**os.environ, "TRUSTED_PROXIES": "1", "LOG_LEVEL": "ERROR"}
    with gunicorn_serving(port, env):
        _warm_up(port)
        with tempfile.TemporaryDirectory() as folder:
            prefix = str(Path(folder) / "load")
            users = citizens + staff
            locust = subprocess.run(  # noqa: S603 (our own interpreter)
                [
                    sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "load_visitors.py"),
                    "--headless", "--users", str(users), "--spawn-rate", "20",
                    "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
                    "--csv", prefix, "--only-summary", "--loglevel", "ERROR",
                    "--exit-code-on-error", "0",
                ],
                cwd=ROOT,
                env={**env, "LOAD_STAFF": str(staff)},
                check=False,
                capture_output=True,
                text=True,
            )  # fmt: skip
            if not Path(f"{prefix}_stats.csv").exists():
                raise SystemExit(f"[bench] locust failed:\n{locust.stderr[-3000:]}")
            return _report(Path(f"{prefix}_stats.csv"))


def _report(stats: Path) -> int:
    rows = list(csv.DictReader(stats.open()))
    print(f"{'page':<24}{'requests':>9}{'failures':>9}{'req/s':>8}{'p50':>7}{'p95':>7}{'p99':>7}")
    errors = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all pages"
        if row["Name"] == "Aggregated":
            print("-" * 71)
        else:
            errors += int(row["Failure Count"])
        print(
            f"{name:<24}{row['Request Count']:>9}{row['Failure Count']:>9}"
            f"{float(row['Requests/s']):>8.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
        )
    failures = stats.with_name(stats.name.replace("_stats", "_failures"))
    for row in csv.DictReader(failures.open()) if failures.exists() else []:
        print(f"  failed: {row['Name']} x{row['Occurrences']}: {row['Error'][:150]}")
    print(f"errors: {errors}")
    return errors


def tenancy_overhead(*, rounds: int = 30, per_round: int = 20) -> float:
    """Median ms per request of two views, with and without the tenant middleware."""
    import django

    django.setup()
    from _fixed_town import FIXED
    from django.conf import settings
    from django.test import Client, override_settings
    from django_tenants.utils import get_tenant_model

    from rathaus.tenants.db import tenant_connection

    town = get_tenant_model().objects.get(slug="tangerhuette")
    FIXED["town"] = town
    fixed = [
        "_fixed_town.FixedTownMiddleware" if name.endswith("TenantMiddleware") else name
        for name in settings.MIDDLEWARE
    ]
    paths = ["/", "/accounts/login/"]
    with_tenancy = Client(HTTP_HOST="tangerhuette.localhost")
    with override_settings(MIDDLEWARE=fixed):
        without = Client(HTTP_HOST="tangerhuette.localhost")
        tenant_connection.set_tenant(town)
        for path in paths:
            without.get(path)  # loads the handler under the override
    for path in paths:
        with_tenancy.get(path)

    timings: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(rounds):
        for label, client in (("with", with_tenancy), ("without", without)):
            if label == "without":
                tenant_connection.set_tenant(town)
            started = time.perf_counter()
            for _ in range(per_round):
                for path in paths:
                    assert client.get(path).status_code == 200
            timings[label].append((time.perf_counter() - started) * 1000 / (per_round * 2))
    with_ms = statistics.median(timings["with"])
    without_ms = statistics.median(timings["without"])
    print(f"tenancy: {with_ms:.2f} ms per request with the tenant middleware, "
          f"{without_ms:.2f} ms with the town fixed")  # fmt: skip
    return with_ms / without_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--staff", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    # The demo logins' known password needs DEBUG for this one command; the server
    # below runs with DEBUG off.
    os.environ["DEBUG"] = "true"
    _manage("load_demo", "-v", "0")
    os.environ["DEBUG"] = "false"
    print(f"[bench] demo towns loaded in {time.perf_counter() - started:.0f} s")
    errors = run_load(seconds=args.seconds, citizens=args.citizens, staff=args.staff)
    ratio = tenancy_overhead()
    print(f"ratio tenancy_overhead / goal {GOAL_OVERHEAD}: {ratio / GOAL_OVERHEAD:.3f} "
          f"(overhead {100 * (ratio - 1):+.1f} %)")  # fmt: skip
    if errors:
        raise SystemExit(f"[bench] {errors} requests failed")


if __name__ == "__main__":
    main()
