"""Fixtures of the bulk notices tests: the modules on, a template, clerks, sample files."""

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.notices.demo_data import demo_template_values
from rathaus.modules.notices.models import Template
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.modules.applications.conftest import log_in, make_staff
from tests.modules.conftest import switch_on
from tests.modules.mailbox.conftest import citizen

CLERK = ["notices.clerk"]
HEADER = "schluessel;name;strasse;plz;ort;grundstueck;jahr;betrag\n"

__all__ = ["CLERK", "HEADER", "citizen", "log_in", "make_staff"]


def on(town: Municipality) -> Municipality:
    switch_on(town, "notices")
    switch_on(town, "mailbox")
    return town


@pytest.fixture
def notices_a(town_a: Municipality) -> Municipality:
    return on(town_a)


@pytest.fixture
def notices_b(town_b: Municipality) -> Municipality:
    return on(town_b)


def template_in(town: Municipality) -> Template:
    with tenant_context(town):
        return Template.objects.create(**demo_template_values(town))


@pytest.fixture
def template_a(notices_a: Municipality) -> Template:
    return template_in(notices_a)


def rows(count: int, *, mailbox: tuple[str, ...] = ()) -> bytes:
    lines = [HEADER]
    for key in mailbox:
        lines.append(
            f"{key};Erika Mustermann;Markt 1;39517;Tangerhütte;Flur 1, Flurstück 1;2026;12,50\n"
        )
    for n in range(count):
        lines.append(
            f"KZ-{n:05d};Person {n};Lindenweg {n + 1};39517;Tangerhütte;Flur 3, Flurstück {n};"
            f"2026;{n + 1}.234,50\n"
        )
    return "".join(lines).encode()


def clerks(town: Municipality, client: Client, second: Client) -> tuple[User, User]:
    first = make_staff(town, client, CLERK, email="kasse@example.org")
    other = make_staff(town, second, CLERK, email="kaemmerer@example.org")
    return first, other
