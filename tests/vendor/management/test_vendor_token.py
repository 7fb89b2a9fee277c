"""`manage.py vendor_token EMAIL` prints a token that opens the vendor API, for staff only."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from rathaus.vendor.models import VendorToken
from tests.factories import UserFactory


def test_the_command_prints_a_token_that_opens_the_vendor_api(db: None) -> None:
    vendor = UserFactory.create(email="vendor@rathaus.example", is_staff=True)
    out = StringIO()

    call_command("vendor_token", "Vendor@Rathaus.example", "--name=ci", stdout=out)

    token = out.getvalue().strip()
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/vendor/v1/towns/").status_code == 200
    record = VendorToken.objects.get(user=vendor)
    assert record.name == "ci"
    assert record.last_used_at is not None
    assert token not in record.key_hash  # only the hash is stored


def test_the_command_gives_no_token_to_anyone_but_vendor_staff(db: None) -> None:
    UserFactory.create(email="kunde@example.org")

    with pytest.raises(CommandError, match="Nur Mitarbeitende des Betreibers"):
        call_command("vendor_token", "kunde@example.org", stdout=StringIO())
    with pytest.raises(CommandError, match="No vendor account"):
        call_command("vendor_token", "niemand@example.org", stdout=StringIO())

    assert not VendorToken.objects.exists()
