"""Rolls out many towns from a CSV file: ``python manage.py rollout FILE.csv``."""

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from rathaus.platform.audit.services import Actor
from rathaus.vendor.rollout import RolloutRow, rollout_read, rollout_run


class Command(BaseCommand):
    help = (
        "Onboards the towns of a CSV file (columns ags,name,slug,admin_email,modules; "
        "modules separated by ';'). Checks the whole file first; an invalid file creates "
        "nothing. Towns that exist already are skipped, so a second run finishes the rest."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--check", action="store_true", help="only validate the file")
        parser.add_argument(
            "--federation-preset",
            metavar="NAME",
            help='state-account preset for every town, e.g. "Servicekonto Sachsen-Anhalt"',
        )

    def handle(self, *args: Any, file: Path, check: bool, **options: Any) -> None:
        preset = None
        if options.get("federation_preset"):
            from rathaus.platform.federation.presets.models import FederationPreset

            preset = FederationPreset.objects.filter(name=options["federation_preset"]).first()
            if preset is None:
                names = ", ".join(FederationPreset.objects.values_list("name", flat=True))
                raise CommandError(
                    f"Keine Vorlage „{options['federation_preset']}“. Vorhanden: {names}"
                )
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: {error}") from error
        rows, problems = rollout_read(text=text)
        if problems:
            for problem in problems:
                self.stderr.write(f"{file}: {problem}")
            raise CommandError(f"{len(problems)} Fehler in {file}; es wurde nichts angelegt.")
        if check:
            self.stdout.write(f"{file}: {len(rows)} Kommunen, keine Fehler.")
            return

        started = time.monotonic()
        bar = tqdm(total=len(rows), unit="Kommune", disable=options["verbosity"] < 1)

        def progress(row: RolloutRow, created: bool) -> None:
            bar.set_postfix_str(row.slug, refresh=False)
            bar.update()

        try:
            result = rollout_run(
                rows=rows,
                actor=Actor.system("rollout"),
                progress=progress,
                federation_preset=preset,
            )
        finally:
            bar.close()
        self.stdout.write(
            f"{len(result.created)} Kommunen angelegt, {len(result.existing)} gab es schon "
            f"({time.monotonic() - started:.1f} s)."
        )
