""" "Kontakt zum Rathaus" in the town's catalogue, with the office's opening hours."""

from django.test import Client

from rathaus.modules.services import module_configure
from rathaus.tenants.models import Municipality
from tests.modules.conftest import VENDOR


def test_the_contact_entry_has_the_offices_hours_and_leads_to_the_contact_page(
    client_a: Client, contact_on_in_a: Municipality
) -> None:
    module_configure(
        town=contact_on_in_a,
        key="contact",
        settings={
            "office": "Bürgerbüro Tangerhütte",
            "phone": "+49 3935 93060",
            "opening_hours": [{"weekday": 1, "opens": "09:00", "closes": "12:00"}],
        },
        actor=VENDOR,
    )

    home = client_a.get("/").content.decode()
    page = client_a.get("/leistungen/kontakt-zum-rathaus/").content.decode()

    assert 'href="/leistungen/kontakt-zum-rathaus/"' in home
    assert "Dienstag" in home
    assert "09:00–12:00" in page
    assert "+49 3935 93060" in page
    assert 'href="/contact/"' in page
    assert (
        "Kontakt zum Rathaus" in client_a.get("/suche/", {"q": "Öffnungszeiten"}).content.decode()
    )
