"""Citizens see the town's contact details and opening hours, on the page and in the API."""

from django.test import Client

from rathaus.modules.services import module_configure
from rathaus.tenants.models import Municipality
from tests.modules.conftest import VENDOR


def test_citizens_see_contact_and_opening_hours(
    client_a: Client, contact_on_in_a: Municipality
) -> None:
    module_configure(
        town=contact_on_in_a,
        key="contact",
        settings={
            "office": "Bürgerbüro Tangerhütte",
            "phone": "+49 3935 93060",
            "opening_hours": [
                {"weekday": 3, "opens": "13:00", "closes": "18:00"},
                {"weekday": 1, "opens": "09:00", "closes": "12:00"},
            ],
        },
        actor=VENDOR,
    )

    html = client_a.get("/contact/").content.decode()

    assert "Bürgerbüro Tangerhütte" in html
    assert 'href="tel:+49393593060"' in html
    assert html.index("Dienstag") < html.index("Donnerstag")
    assert "09:00–12:00" in html


def test_the_api_gives_the_same_details(client_a: Client, contact_on_in_a: Municipality) -> None:
    module_configure(
        town=contact_on_in_a, key="contact", settings={"email": "info@example.org"}, actor=VENDOR
    )

    data = client_a.get("/api/v1/contact/").json()

    assert data["email"] == "info@example.org"
    assert data["office"] == "Bürgerbüro"


def test_a_town_without_opening_hours_says_so(
    client_a: Client, contact_on_in_a: Municipality
) -> None:
    html = client_a.get("/contact/").content.decode()

    assert "Die Öffnungszeiten sind noch nicht eingetragen." in html
