"""Rolls out a whole state's worth of towns (default 218, like Sachsen-Anhalt) from one CSV.

    .venv/bin/python bench/rollout.py [--towns 218]

Runs ``python manage.py rollout`` on a generated file with AGS 16998xxx (the
bench towns are removed before and after); the warm pool is drained first, so
every town is replayed from the template. The last line compares with the
goal of 60 s.

Runs in a scratch database, Redis databases and Celery queue of its own
(bench/_setup.py); needs no environment.
"""

import argparse
import tempfile
import time
from io import StringIO
from pathlib import Path

from _setup import bench_setup

bench_setup("rollout", timeout=900)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from rathaus.tenants.models import Municipality, SchemaMigrationState  # noqa: E402
from rathaus.tenants.provisioning import pool_drain, template_build  # noqa: E402

PREFIX = "16998"
GOAL_SECONDS = 60.0


def cleanup() -> None:
    towns = list(Municipality.objects.filter(ags__startswith=PREFIX))
    with connection.cursor() as cursor:
        for town in towns:
            cursor.execute(f"DROP SCHEMA IF EXISTS {town.schema_name} CASCADE")
    Municipality.objects.filter(ags__startswith=PREFIX).delete()
    SchemaMigrationState.objects.filter(schema_name__startswith=f"town_{PREFIX}").delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--towns", type=int, default=218)
    towns = parser.parse_args().towns
    cleanup()
    pool_drain()
    template_build()
    lines = ["ags,name,slug,admin_email,modules"]
    for n in range(towns):
        ags = f"{PREFIX}{n:03d}"
        lines.append(f"{ags},Gemeinde {n},gemeinde-{ags},verwaltung@g{ags}.example,contact")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "state.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            started = time.perf_counter()
            out = StringIO()
            call_command("rollout", str(path), stdout=out)
            elapsed = time.perf_counter() - started
            print(out.getvalue().strip())
        finally:
            cleanup()
    print(f"{towns} towns in {elapsed:.1f} s ({1000 * elapsed / towns:.0f} ms per town)")
    verdict = "met" if elapsed < GOAL_SECONDS else "MISSED"
    print(f"goal {GOAL_SECONDS:.0f} s {verdict}: ratio goal/actual {GOAL_SECONDS / elapsed:.1f}x")


if __name__ == "__main__":
    main()
