"""Onboards one town: ``python manage.py onboard --ags 15090010 --name Arneburg ...``."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rathaus.platform.audit.services import Actor
from rathaus.vendor.onboarding import tenant_onboard


class Command(BaseCommand):
    help = "Brings a municipality live (idempotent by AGS): schema, hosts, admin, modules."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--ags", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--modules", help="comma-separated keys (default: default modules)")
        parser.add_argument("--domain", action="append", default=[], help="custom host name")

    def handle(self, *args: Any, **options: Any) -> None:
        modules = options["modules"]
        try:
            result = tenant_onboard(
                ags=options["ags"],
                name=options["name"],
                slug=options["slug"],
                admin_email=options["admin_email"],
                modules=[key.strip() for key in modules.split(",") if key.strip()]
                if modules is not None
                else None,
                domains=options["domain"],
                actor=Actor.system("cli"),
            )
        except ValidationError as error:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise CommandError(problems) from error
        verb = "eingerichtet" if result.created else "gab es schon"
        self.stdout.write(f"{result.town.name} ({result.town.schema_name}) {verb}.")
