"""A town's lifecycle from the command line.

python manage.py town suspend AGS | reactivate AGS | rename AGS SLUG
python manage.py town domain AGS HOST | offboard AGS ARCHIVE.tar.gz | restore ARCHIVE.tar.gz
"""

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality
from rathaus.vendor import lifecycle


class Command(BaseCommand):
    help = "Suspend, reactivate, rename, add a domain, offboard to an archive, restore."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        for action in ("suspend", "reactivate"):
            sub.add_parser(action).add_argument("ags")
        rename = sub.add_parser("rename")
        rename.add_argument("ags")
        rename.add_argument("slug")
        domain = sub.add_parser("domain")
        domain.add_argument("ags")
        domain.add_argument("host")
        offboard = sub.add_parser("offboard")
        offboard.add_argument("ags")
        offboard.add_argument("archive", type=Path)
        restore = sub.add_parser("restore")
        restore.add_argument("archive", type=Path)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        actor = Actor.system("cli")
        try:
            if action == "restore":
                restored = lifecycle.town_restore(archive=options["archive"], actor=actor)
                self.stdout.write(f"{restored.name} wiederhergestellt.")
                return
            town = Municipality.objects.filter(ags=options["ags"]).first()
            if town is None:
                raise CommandError(f"Keine Kommune mit dem Gemeindeschlüssel {options['ags']}.")
            if action == "suspend":
                lifecycle.town_suspend(town=town, actor=actor)
            elif action == "reactivate":
                lifecycle.town_reactivate(town=town, actor=actor)
            elif action == "rename":
                lifecycle.town_rename(town=town, slug=options["slug"], actor=actor)
            elif action == "domain":
                lifecycle.town_custom_domain_add(town=town, domain=options["host"], actor=actor)
            elif action == "offboard":
                path = lifecycle.town_offboard(town=town, archive=options["archive"], actor=actor)
                self.stdout.write(f"{town.name} archiviert in {path} und entfernt.")
                return
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{town.name}: {action} erledigt.")
