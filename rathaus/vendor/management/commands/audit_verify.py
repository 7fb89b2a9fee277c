"""Verifies towns' audit chains: ``python manage.py audit_verify [AGS ...]``."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rathaus.tenants.models import Municipality
from rathaus.vendor.audit_anchors import town_audit_verify


class Command(BaseCommand):
    help = (
        "Checks each town's audit log from its first entry: every entry must carry the "
        "hash of the one before and its own, and every anchor must still be there. Names "
        "the first broken entry; exits with an error if any chain is broken."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("ags", nargs="*", help="the towns (default: all)")

    def handle(self, *args: Any, ags: list[str], **options: Any) -> None:
        towns = Municipality.objects.exclude(schema_name="public").order_by("ags")
        if ags:
            towns = towns.filter(ags__in=ags)
            unknown = set(ags) - set(towns.values_list("ags", flat=True))
            if unknown:
                raise CommandError(f"Keine Kommune mit dem Gemeindeschlüssel {', '.join(unknown)}.")
        broken = 0
        for town in towns:
            report = town_audit_verify(town=town).report
            if report.ok:
                self.stdout.write(f"{town.ags} {town.name}: {report.entries} Einträge, intakt")
            else:
                broken += 1
                self.stdout.write(
                    f"{town.ags} {town.name}: GEBROCHEN bei Eintrag {report.broken_at} "
                    f"({report.reason})"
                )
        if broken:
            raise CommandError(f"{broken} Protokoll(e) gebrochen.")
