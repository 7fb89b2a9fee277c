"""Issues a vendor API token: ``python manage.py vendor_token EMAIL [--name NAME]``."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from rathaus.platform.identity.models import User
from rathaus.vendor.vendor_tokens import vendor_token_create


class Command(BaseCommand):
    help = "Creates an API token for a vendor staff account (public schema) and prints it once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        user = User.objects.filter(email=email.lower()).first()
        if user is None:
            raise CommandError(f"No vendor account {email}")
        try:
            self.stdout.write(vendor_token_create(user=user, name=name))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
