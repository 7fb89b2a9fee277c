"""Loads the demo towns and their logins (development only); safe to run again."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.oauth.services import DEMO_REDIRECT_URI, demo_app_ensure
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_set_roles
from rathaus.tenants.services import municipality_create, town_host
from rathaus.vendor.demo import demo_content_load

DEMO_PASSWORD = "rathaus-demo"  # noqa: S105  (printed on purpose; DEBUG only)
DEMO_TOWNS = [
    # Real AGS of the two towns in Sachsen-Anhalt.
    {"name": "Tangerhütte", "slug": "tangerhuette", "ags": "15090520"},
    {"name": "Hohe Börde", "slug": "hohe-boerde", "ags": "15083298"},
]
VENDOR_EMAIL = "vendor@rathaus.localhost"
DEMO_ACTOR = Actor.system("load_demo")


class Command(BaseCommand):
    help = "Creates the demo towns and logins, or leaves them as they are."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000, help="port shown in the URLs")

    def handle(self, *args: Any, port: int, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo logins have a known password: only with DEBUG on.")
        lines = ["", "Rathaus is ready:"]
        _ensure_user(VENDOR_EMAIL, is_superuser=True, first_name="Vendor")
        lines.append(
            f"  vendor console   http://{settings.BASE_DOMAIN}:{port}/console/"
            f"   {VENDOR_EMAIL} / {DEMO_PASSWORD}"
        )
        for spec in DEMO_TOWNS:
            town = municipality_create(**spec)
            with schema_context(town.schema_name):
                admin_email = f"admin@{town.slug}.localhost"
                citizen_email = f"buerger@{town.slug}.localhost"
                admin = _ensure_user(admin_email, first_name="Stadtverwaltung")
                staff_set_roles(town=town, user=admin, roles=[TOWN_ADMIN], actor=DEMO_ACTOR)
                _ensure_user(citizen_email, first_name="Erika", last_name="Mustermann")
            demo_content_load(town=town, actor=DEMO_ACTOR)
            with schema_context(town.schema_name):
                app = demo_app_ensure(town=town, actor=DEMO_ACTOR)
            lines.append(f"  {town.name:<16} http://{town_host(slug=town.slug)}:{port}/")
            lines.append(f"      back office  http://{town_host(slug=town.slug)}:{port}/staff/")
            lines.append(f"      town admin   {admin_email} / {DEMO_PASSWORD}")
            lines.append(f"      citizen      {citizen_email} / {DEMO_PASSWORD}")
            lines.append(f"      app (OAuth)  client_id {app.client_id}  {DEMO_REDIRECT_URI}")
        lines.append(f"  health           http://{settings.BASE_DOMAIN}:{port}/healthz")
        self.stdout.write("\n".join(lines) + "\n")


def _ensure_user(email: str, *, is_superuser: bool = False, **fields: Any) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        fields.setdefault("is_staff", is_superuser)
        user = User.objects.create_user(email, DEMO_PASSWORD, is_superuser=is_superuser, **fields)
    return user
