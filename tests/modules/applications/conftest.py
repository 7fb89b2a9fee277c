"""Fixtures of the applications tests: the module on, the demo form, a clerk."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import FormVersion
from rathaus.modules.applications.services import form_import, version_publish
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD
from tests.modules.conftest import switch_on
from tests.platform.payments.conftest import queued  # noqa: F401 (a fixture of the fee tests)

SYSTEM = Actor.system("test")
DEMO = Path("rathaus/modules/applications/demo/hund-anmelden.json")


def dog_definition() -> dict[str, Any]:
    return copy.deepcopy(json.loads(DEMO.read_text(encoding="utf-8")))


def publish(town: Municipality, definition: dict[str, Any] | None = None) -> FormVersion:
    """Imports and publishes ``definition`` (the dog form) in ``town``."""
    with tenant_context(town):
        version = form_import(
            town=town, raw=json.dumps(definition or dog_definition()), actor=SYSTEM
        )
        return version_publish(town=town, version=version, actor=SYSTEM)


@pytest.fixture
def applications_a(town_a: Municipality) -> Municipality:
    switch_on(town_a, "applications")
    return town_a


@pytest.fixture
def applications_b(town_b: Municipality) -> Municipality:
    switch_on(town_b, "applications")
    return town_b


def log_in(client: Client, email: str) -> None:
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def make_staff(
    town: Municipality, client: Client, roles: list[str], email: str = "antraege@example.org"
) -> User:
    with tenant_context(town):
        user = staff_add(town=town, email=email, roles=roles, actor=SYSTEM)
        user.set_password(PASSWORD)
        user.save()
    log_in(client, email)
    return user


OWNER = {
    "owner_name": "Erika Mustermann",
    "owner_address_street": "Markt 1",
    "owner_address_postcode": "39517",
    "owner_address_town": "Tangerhütte",
    "email": "erika@example.org",
}
DOG = {
    "dog_count": "1",
    "dog_name": "Bello",
    "breed": "dackel",
    "born_on": "2021-05-24",
    "listed": "no",
}


def fill_and_send(client: Client, slug: str = "hund-anmelden") -> str:
    """Walks the dog form with good answers; returns the confirmation page."""
    assert client.post(f"/applications/{slug}/step/1/", OWNER).status_code == 302
    assert client.post(f"/applications/{slug}/step/2/", DOG).status_code == 302
    sent = client.post(f"/applications/{slug}/check/", {"declaration": "on"})
    assert sent.status_code == 302, sent.content.decode()
    return client.get(sent["Location"]).content.decode()
