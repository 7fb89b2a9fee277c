"""Builds the town schema template for the current migrations, unless it exists already."""

from typing import Any

from django.core.management.base import BaseCommand

from rathaus.tenants.provisioning import template_build


class Command(BaseCommand):
    help = "Migrates a scratch schema once and stores it as the template for new towns."

    def handle(self, *args: Any, **options: Any) -> None:
        template = template_build()
        if options["verbosity"] >= 1:
            self.stdout.write(f"schema template {template.key} ready")
