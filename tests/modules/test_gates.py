"""A module serves a town only while the vendor allows it and the town enables it."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from rathaus.modules.services import module_allow, module_enable
from rathaus.tenants.models import Municipality
from tests.modules.conftest import VENDOR, switch_on

OPENAPI = "application/vnd.oai.openapi+json"


def _paths(client: Client) -> list[str]:
    return list(client.get("/api/schema/", HTTP_ACCEPT=OPENAPI).json()["paths"])


def test_a_module_that_is_not_on_answers_404_everywhere(client_a: Client) -> None:
    assert client_a.get("/contact/").status_code == 404
    assert client_a.get("/api/v1/contact/").status_code == 404
    assert "/api/v1/contact/" not in _paths(client_a)
    assert 'href="/contact/"' not in client_a.get("/").content.decode()


def test_an_active_module_shows_in_pages_navigation_api_and_schema(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "contact")

    home = client_a.get("/").content.decode()
    assert 'href="/contact/"' in home
    # Its service in the town's catalogue, on the home page.
    assert "Kontakt zum Rathaus" in home
    assert client_a.get("/contact/").status_code == 200
    assert client_a.get("/api/v1/contact/").status_code == 200
    assert "/api/v1/contact/" in _paths(client_a)


def test_switching_off_takes_effect_on_the_next_request(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "contact")
    assert client_a.get("/contact/").status_code == 200

    module_enable(town=town_a, key="contact", enabled=False, actor=VENDOR)

    assert client_a.get("/contact/").status_code == 404
    assert 'href="/contact/"' not in client_a.get("/").content.decode()


def test_the_vendor_withdrawing_a_module_switches_it_off_for_the_town(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "contact")

    module_allow(town=town_a, key="contact", allowed=False, actor=VENDOR)

    assert client_a.get("/contact/").status_code == 404
    assert client_a.get("/api/v1/contact/").status_code == 404


def test_a_module_on_in_one_town_stays_off_in_another(
    client_b: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "contact")

    assert client_b.get("/contact/").status_code == 404
    assert client_b.get("/api/v1/contact/").status_code == 404
    assert "/api/v1/contact/" not in _paths(client_b)


def test_a_town_cannot_enable_what_the_vendor_has_not_allowed(town_a: Municipality) -> None:
    with pytest.raises(ValidationError) as error:
        module_enable(town=town_a, key="contact", enabled=True, actor=VENDOR)

    assert "nicht freigegeben" in str(error.value)


def test_an_unknown_module_is_refused_by_name(town_a: Municipality) -> None:
    with pytest.raises(ValidationError) as error:
        module_allow(town=town_a, key="kegelbahn", allowed=True, actor=VENDOR)

    assert "kegelbahn" in str(error.value)


def test_a_modules_staff_page_is_on_the_back_office_start_page_not_in_the_header(
    client_a: Client, town_a: Municipality
) -> None:
    from rathaus.platform.staff.models import TOWN_ADMIN
    from tests.factories import PASSWORD
    from tests.platform.staff.conftest import make_staff

    switch_on(town_a, "appointments")
    admin = make_staff(town_a, "verwaltung@tangerhuette.de", [TOWN_ADMIN])
    client_a.post("/accounts/login/", {"username": admin.email, "password": PASSWORD})

    header = client_a.get("/").content.decode().split("</header>")[0]
    dashboard = client_a.get("/staff/").content.decode()

    assert 'href="/appointments/"' in header
    assert "/staff/appointments/" not in header
    assert 'href="/staff/appointments/"' in dashboard
