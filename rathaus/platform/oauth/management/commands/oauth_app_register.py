"""Registers an app with a town: ``manage.py oauth_app_register AGS "Name" URI [URI ...]``."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django_tenants.utils import tenant_context

from rathaus.platform.audit.services import Actor
from rathaus.platform.oauth.services import app_register
from rathaus.tenants.models import Municipality


class Command(BaseCommand):
    help = (
        "Registers a public client (a mobile or desktop app) with one town: authorization "
        "code with PKCE, no secret. Prints its client_id, which the app sends to the town's "
        "/oauth/authorize/ and /oauth/token/."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("town", help="the town's Gemeindeschlüssel (AGS) or slug")
        parser.add_argument("name", help="the app's name, shown on the consent page")
        parser.add_argument(
            "redirect_uris",
            nargs="+",
            help="where the town sends the person back, e.g. de.rathaus.app:/oauth/callback",
        )

    def handle(
        self, *args: Any, town: str, name: str, redirect_uris: list[str], **options: Any
    ) -> None:
        found = Municipality.objects.exclude(schema_name="public").filter(
            Q(ags=town) | Q(slug=town)
        )
        municipality = found.first()
        if municipality is None:
            raise CommandError(f"Keine Kommune mit dem Gemeindeschlüssel oder Kürzel {town}.")
        with tenant_context(municipality):
            try:
                application = app_register(
                    town=municipality,
                    name=name,
                    redirect_uris=redirect_uris,
                    actor=Actor.system("oauth_app_register"),
                )
            except ValidationError as exc:
                problems = [f"{field}: {m}" for field, ms in exc.message_dict.items() for m in ms]
                raise CommandError("\n".join(problems)) from exc
        self.stdout.write(f"{municipality.name}: App „{application.name}“ eingetragen.")
        self.stdout.write(f"client_id: {application.client_id}")
