"""Migrates the public schema and every town's, in parallel: ``python manage.py migrate_all``."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from rathaus.tenants.migrating import all_tenants_migrate


class Command(BaseCommand):
    help = (
        "Applies migrations to the public schema and to every town that needs them, in "
        "parallel, with a progress bar. Returns at once when nothing is to do; a failing "
        "town is reported and the others go on; running it again finishes the rest."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--jobs", type=int, default=2, help="towns migrated at once")

    def handle(self, *args: Any, jobs: int, **options: Any) -> None:
        started = time.monotonic()
        quiet = options["verbosity"] < 1
        bar: tqdm[Any] | None = None

        def progress(total: int, schema: str, error: str | None) -> None:
            nonlocal bar
            if bar is None:
                bar = tqdm(total=total, unit="Schema", disable=quiet or total == 0)
            if schema:
                bar.set_postfix_str(schema, refresh=False)
                bar.update()
                if error:
                    bar.write(f"FEHLER {schema}: {error}")

        try:
            report = all_tenants_migrate(jobs=jobs, progress=progress)
        finally:
            if bar is not None:
                bar.close()
        elapsed = time.monotonic() - started
        if not quiet:
            self.stdout.write(
                f"{len(report.migrated)} Schemas migriert, {report.up_to_date} waren aktuell, "
                f"{len(report.failed)} fehlgeschlagen ({elapsed:.1f} s)."
            )
        if report.failed:
            raise CommandError(
                "Nicht migriert: "
                + ", ".join(sorted(report.failed))
                + ". Nach dem Beheben noch einmal ausführen."
            )
