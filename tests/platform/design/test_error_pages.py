"""Every page with a form shows the error summary and "Fehler:" in its title on bad input.

When you add a page with a form, add it to ``CITIZEN_FORMS`` or ``STAFF_FORMS`` (pages that
need data first, like an application's steps, call ``assert_error_page`` in their own tests).
"""

import re

import pytest
from django.test import Client

from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.conftest import switch_on

# (module to switch on or None, path, data that is wrong on purpose). A browser posts
# every field of a form, so each entry names at least one.
CITIZEN_FORMS = [
    (None, "/accounts/login/", {"username": "", "password": ""}),
    (None, "/accounts/register/", {"email": ""}),
    (None, "/accounts/password-reset/", {"email": "keine-adresse"}),
]
STAFF_FORMS = [
    (None, "/staff/branding/", {"primary_color": "#ffffff"}),
    (None, "/staff/team/add/", {"email": "keine-adresse"}),
    ("appointments", "/staff/appointments/dienstleistungen/neu/", {"name": ""}),
    ("appointments", "/staff/appointments/standorte/neu/", {"name": ""}),
    ("appointments", "/staff/appointments/regeln/", {"min_notice_minutes_minutes": "75"}),
    ("applications", "/staff/applications/forms/", {"file": ""}),
    (None, "/federation/settings/setup/saml/", {"name": ""}),
    (None, "/federation/settings/setup/oidc/", {"name": "Servicekonto"}),
]


def assert_error_page(html: str) -> None:
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title
    assert title.group(1).strip().startswith("Fehler: "), title.group(1)
    summary = html[html.index("data-error-summary") :]
    summary = summary[: summary.index("</ul>")]
    links = re.findall(r'<a class="kern-link" href="#([^"]+)">', summary)
    assert links, "the error summary links to no field"
    for target in links:
        assert f'id="{target}"' in html, f"the summary links to #{target}, which is not on the page"


@pytest.mark.parametrize(("module", "path", "data"), CITIZEN_FORMS)
def test_a_citizen_form_with_errors_says_so_at_the_top(
    client_a: Client, town_a: Municipality, module: str | None, path: str, data: dict[str, str]
) -> None:
    if module:
        switch_on(town_a, module)

    response = client_a.post(path, data)

    assert response.status_code in (200, 400)
    assert_error_page(response.content.decode())


@pytest.mark.parametrize(("module", "path", "data"), STAFF_FORMS)
def test_a_staff_form_with_errors_says_so_at_the_top(
    admin_client_a: Client,
    town_a: Municipality,
    module: str | None,
    path: str,
    data: dict[str, str],
) -> None:
    if module:
        switch_on(town_a, module)

    response = admin_client_a.post(path, data)

    assert response.status_code in (200, 400)
    assert_error_page(response.content.decode())


def test_a_page_without_errors_has_neither(client_a: Client) -> None:
    html = client_a.get("/accounts/login/").content.decode()

    assert "data-error-summary" not in html
    assert "<title>Fehler" not in html


# The vendor console's forms, on the vendor's host, for a logged-in vendor (login: anyone).
VENDOR_FORMS = [
    (False, "/console/login/", {"username": "", "password": ""}),
    (True, "/console/towns/new/", {"name": "", "ags": "123"}),
]


@pytest.mark.parametrize(("logged_in", "path", "data"), VENDOR_FORMS)
def test_a_console_form_with_errors_says_so_at_the_top(
    public_client: Client, logged_in: bool, path: str, data: dict[str, str]
) -> None:
    if logged_in:
        public_client.force_login(
            UserFactory.create(email="betrieb@rathaus.example", is_staff=True)
        )

    response = public_client.post(path, data)

    assert response.status_code == 200
    assert_error_page(response.content.decode())
