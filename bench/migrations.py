"""Migrations across many towns: ``migrate_all`` next to django-tenants' ``migrate_schemas``.

    .venv/bin/python bench/migrations.py [--towns 200]

Works in a scratch database (``rathaus_bench_migrations``, dropped at the end;
Redis and queue of its own too: bench/_setup.py, no environment needed) with
the project's real apps plus ``benchapp``, a town app whose migrations the
bench writes: N towns, then, each command in a
fresh process the way a deploy runs it,
  1. a no-op (nothing to apply) with ``migrate_all`` and with ``migrate_schemas``,
  2. one real migration (AddField) across all towns with each command.
The last line is the no-op ratio migrate_schemas / migrate_all.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, bench_setup

BENCH = Path(__file__).resolve().parent

INITIAL = """from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Note",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("text", models.CharField(max_length=100)),
            ],
        ),
    ]
"""
ADD_FIELD = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("benchapp", "{previous}")]
    operations = [
        migrations.AddField("note", "{field}", models.CharField(max_length=20, default="")),
    ]
"""


def manage(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--towns", type=int, default=200)
    towns = parser.parse_args().towns
    # Each command below runs in a fresh process, as a deploy runs it: none here.
    bench = bench_setup("migrations", timeout=1800, migrate=False, django=False)

    with tempfile.TemporaryDirectory() as folder:
        package = Path(folder) / "bench_migrations"
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "0001_initial.py").write_text(INITIAL)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "settings_bench",
            "PYTHONPATH": os.pathsep.join([str(BENCH), folder, str(ROOT)]),
            "DATABASE_URL": bench.database_url,
            "LOG_LEVEL": "WARNING",
        }
        manage(env, "migrate_all", "-v", "0")
        started = time.perf_counter()
        manage(env, "shell", "-c", make_towns(towns))
        print(f"{towns} towns provisioned in {time.perf_counter() - started:.1f} s")

        ours_noop = manage(env, "migrate_all", "-v", "0")
        theirs_noop = manage(env, "migrate_schemas", "--executor=multiprocessing", "-v", "0")
        (package / "0002_a.py").write_text(ADD_FIELD.format(previous="0001_initial", field="a"))
        ours_real = manage(env, "migrate_all", "-v", "0")
        (package / "0003_b.py").write_text(ADD_FIELD.format(previous="0002_a", field="b"))
        theirs_real = manage(env, "migrate_schemas", "--executor=multiprocessing", "-v", "0")
        manage(env, "shell", "-c", CHECK_COLUMNS)

    print(f"{'':>24}{'migrate_all':>14}{'migrate_schemas':>18}")
    print(f"{'no-op, ' + str(towns) + ' towns':>24}{ours_noop:>12.1f} s{theirs_noop:>16.1f} s")
    print(f"{'one AddField, all towns':>24}{ours_real:>12.1f} s{theirs_real:>16.1f} s")
    print(f"real migration ratio: {theirs_real / ours_real:.1f}x")
    print(f"no-op speedup: {theirs_noop / ours_noop:.1f}x")


def make_towns(count: int) -> str:
    return (
        "from rathaus.tenants.services import municipality_create\n"
        f"for n in range({count}):\n"
        "    ags = str(16_990_000 + n)\n"
        "    municipality_create(name=f'Gemeinde {n}', slug=f'gemeinde-{ags}', ags=ags)\n"
    )


CHECK_COLUMNS = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'benchapp_note'"
        " AND column_name IN ('a', 'b') AND table_schema LIKE 'town_%'"
    )
    found = cursor.fetchone()[0]
    cursor.execute("SELECT count(*) FROM tenants_municipality")
    towns = cursor.fetchone()[0]
assert found == 2 * towns, (found, towns)
"""


if __name__ == "__main__":
    main()
