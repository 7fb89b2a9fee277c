"""Impressum, Datenschutz and Barrierefreiheit: the town's own pages or ours, never missing."""

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.services import branding_update
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD
from tests.platform.staff.conftest import make_staff

NOTE = "Diese Angaben sind unvollständig"


def _log_in(client: Client, email: str) -> None:
    assert (
        client.post("/accounts/login/", {"username": email, "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.parametrize("path", ["/impressum/", "/datenschutz/", "/barrierefreiheit/"])
def test_every_town_has_the_three_pages_even_before_it_configures_them(
    client_a: Client, path: str
) -> None:
    response = client_a.get(path)

    assert response.status_code == 200
    assert "Tangerhütte" in response.content.decode()


def test_a_town_with_its_own_impressum_sends_people_there(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        branding_update(
            town=town_a,
            actor=Actor.system("test"),
            imprint_url="https://www.tangerhuette.de/impressum",
        )

    response = client_a.get("/impressum/")

    assert response.status_code == 302
    assert response["Location"] == "https://www.tangerhuette.de/impressum"


def test_only_the_town_admin_is_told_the_page_is_incomplete(
    client_a: Client, town_a: Municipality
) -> None:
    make_staff(town_a, "clerk@tangerhuette.de", ["appointments.clerk"])
    make_staff(town_a, "admin@tangerhuette.de", ["town_admin"])

    assert NOTE not in client_a.get("/impressum/").content.decode()
    _log_in(client_a, "clerk@tangerhuette.de")
    assert NOTE not in client_a.get("/impressum/").content.decode()  # could not fix it
    client_a.post("/accounts/logout/")
    _log_in(client_a, "admin@tangerhuette.de")
    assert NOTE in client_a.get("/datenschutz/").content.decode()
