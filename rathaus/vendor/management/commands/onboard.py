"""Onboards one town: ``python manage.py onboard --ags 15090010 --name Arneburg ...``."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
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
        # The town's public identity (optional; the back office's checklist asks for the rest).
        parser.add_argument("--authority-name", help='e.g. "Stadt Arneburg"')
        parser.add_argument("--address", help=r'postal address, lines separated by "\n"')
        parser.add_argument("--imprint-url", help="address of the Impressum")
        parser.add_argument("--privacy-url", help="address of the privacy notice")
        parser.add_argument("--contact-email")
        parser.add_argument("--primary-color", help="#RRGGBB, readable under white text")
        parser.add_argument("--coat-of-arms", type=Path, help="PNG, JPG or WebP file")

    def handle(self, *args: Any, **options: Any) -> None:
        modules = options["modules"]
        identity: dict[str, Any] = {
            name: options[name].replace("\\n", "\n") if name == "address" else options[name]
            for name in (
                "authority_name",
                "address",
                "imprint_url",
                "privacy_url",
                "contact_email",
                "primary_color",
            )
            if options[name]
        }
        arms: Path | None = options["coat_of_arms"]
        if arms is not None:
            if not arms.is_file():
                raise CommandError(f"coat_of_arms: no such file: {arms}")
            identity["coat_of_arms"] = ContentFile(arms.read_bytes(), name=arms.name)
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
                identity=identity,
                actor=Actor.system("cli"),
            )
        except ValidationError as error:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise CommandError(problems) from error
        verb = "eingerichtet" if result.created else "gab es schon"
        self.stdout.write(f"{result.town.name} ({result.town.schema_name}) {verb}.")
