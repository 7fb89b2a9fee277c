"""The catalogue's pages with appointment services: home, search, life situation, service."""

from decimal import Decimal

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Service
from rathaus.tenants.models import Municipality
from tests.modules.appointments.conftest import Office


@pytest.fixture
def catalogue_a(office_a: Office) -> Office:
    with tenant_context(office_a.town):
        Service.objects.filter(pk=office_a.service.pk).update(
            summary="Den neuen Ausweis beantragen.",
            fee_note="37,00 € (unter 24 Jahren: 22,80 €)",
            processing_time="etwa 3 bis 4 Wochen",
            life_situations=["ausweise-und-dokumente"],
            popular=True,
        )
        dog = Service.objects.create(
            name="Hund anmelden", life_situations=["tiere"], fee=Decimal("0"), keywords="dog"
        )
        dog.locations.add(office_a.location)
    return office_a


def test_home_page_offers_search_life_situations_popular_services_and_hours(
    catalogue_a: Office, client_a: Client
) -> None:
    page = client_a.get("/").content.decode()

    assert 'role="search"' in page
    assert "Ausweise und Dokumente" in page
    assert "Tiere" in page
    assert "Häufig gefragt" in page
    assert 'href="/leistungen/personalausweis-beantragen/"' in page
    assert "Öffnungszeiten" in page
    assert "08:00–18:00" in page
    assert "Nächster freier Termin" in page


def test_home_page_without_services_says_so(client_a: Client, town_a: Municipality) -> None:
    from rathaus.modules.services import module_enable
    from tests.modules.conftest import VENDOR

    module_enable(town=town_a, key="contact", enabled=False, actor=VENDOR)

    assert "noch keine Online-Dienste" in client_a.get("/").content.decode()


def test_search_page_shows_the_count_and_the_results(catalogue_a: Office, client_a: Client) -> None:
    page = client_a.get("/suche/", {"q": "personalausweiss"}).content.decode()

    assert "1 Leistung gefunden für „personalausweiss“" in page
    assert 'href="/leistungen/personalausweis-beantragen/"' in page


def test_search_page_helps_when_nothing_is_found(catalogue_a: Office, client_a: Client) -> None:
    page = client_a.get("/suche/", {"q": "Müllabfuhr"}).content.decode()

    assert "0 Leistungen gefunden für „Müllabfuhr“" in page
    assert "anderes oder kürzeres Wort" in page
    assert 'href="/leistungen/"' in page
    assert 'href="/lebenslagen/tiere/"' in page


def test_search_in_english(catalogue_a: Office, client_a: Client) -> None:
    page = client_a.get("/suche/", {"q": "dog"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "1 service found for “dog”" in page
    assert 'href="/leistungen/hund-anmelden/"' in page


def test_service_page_says_what_to_bring_what_it_costs_how_long_and_where(
    catalogue_a: Office, client_a: Client
) -> None:
    response = client_a.get("/leistungen/personalausweis-beantragen/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Personalausweis beantragen</h1>" in page
    assert "Biometrisches Passfoto" in page
    assert "37,00 € (unter 24 Jahren: 22,80 €)" in page
    assert "etwa 30 Minuten" in page
    assert "etwa 3 bis 4 Wochen" in page
    assert "Bahnhofstraße 1" in page
    assert f'href="/appointments/{catalogue_a.service.pk}/"' in page
    assert "Termin buchen" in page
    assert "Nächster freier Termin" in page


def test_a_fee_of_zero_is_free_of_charge(catalogue_a: Office, client_a: Client) -> None:
    assert "kostenlos" in client_a.get("/leistungen/hund-anmelden/").content.decode()


def test_life_situation_page_lists_its_services(catalogue_a: Office, client_a: Client) -> None:
    page = client_a.get("/lebenslagen/tiere/").content.decode()

    assert "Hund anmelden" in page
    assert "Personalausweis beantragen" not in page
    assert client_a.get("/lebenslagen/keine/").status_code == 404


def test_all_services_a_to_z(catalogue_a: Office, client_a: Client) -> None:
    page = client_a.get("/leistungen/").content.decode()

    assert page.index("Hund anmelden") < page.index("Personalausweis beantragen")


def test_unknown_service_is_not_found(client_a: Client, town_a: Municipality) -> None:
    assert client_a.get("/leistungen/gibt-es-nicht/").status_code == 404
