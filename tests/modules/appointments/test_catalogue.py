"""Appointment services in the town's catalogue: listed, searched, on their own page, per town."""

from decimal import Decimal

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.appointments.models import Service
from rathaus.modules.services import module_enable
from rathaus.platform.catalogue.selectors import catalogue_entries, catalogue_search
from tests.modules.appointments.conftest import Office
from tests.modules.conftest import VENDOR


def _appointment_titles(office: Office) -> list[str]:
    with tenant_context(office.town):
        return [str(e.title) for e in catalogue_entries() if e.source == "appointments"]


def test_each_bookable_service_is_an_entry_with_what_its_page_needs(office_a: Office) -> None:
    with tenant_context(office_a.town):
        Service.objects.filter(pk=office_a.service.pk).update(
            fee=Decimal("37.00"),
            processing_time="etwa 3 Wochen",
            life_situations=["ausweise-und-dokumente"],
            keywords="Perso, ID card",
        )
        (entry,) = [e for e in catalogue_entries() if e.source == "appointments"]

    assert entry.slug == "personalausweis-beantragen"
    assert entry.fee == Decimal("37.00")
    assert entry.documents == ("Altes Ausweisdokument", "Biometrisches Passfoto")
    assert entry.keywords == ("Perso", "ID card")
    assert entry.duration_minutes == 30
    assert [str(a.label) for a in entry.actions] == ["Termin buchen"]
    assert entry.actions[0].url == f"/appointments/{office_a.service.pk}/"
    assert entry.places[0].name == "Bürgerbüro"
    assert len(entry.places[0].opening_hours) == 7


def test_the_search_finds_the_service_from_a_typo_and_from_ausweis(office_a: Office) -> None:
    with tenant_context(office_a.town):
        assert str(catalogue_search(term="personalausweiss")[0].title) == (
            "Personalausweis beantragen"
        )
        assert str(catalogue_search(term="Ausweis")[0].title) == "Personalausweis beantragen"


def test_a_changed_name_shows_at_once_and_the_address_stays(office_a: Office) -> None:
    with tenant_context(office_a.town):
        office_a.service.name = "Neuen Personalausweis beantragen"
        office_a.service.save()
        (entry,) = [e for e in catalogue_entries() if e.source == "appointments"]

    assert entry.title == "Neuen Personalausweis beantragen"
    assert entry.slug == "personalausweis-beantragen"


def test_a_service_switched_off_or_without_a_place_leaves_the_catalogue(office_a: Office) -> None:
    with tenant_context(office_a.town):
        Service.objects.create(name="Ohne Standort")
        Service.objects.filter(pk=office_a.service.pk).update(is_active=False)

    assert _appointment_titles(office_a) == []


def test_the_module_switched_off_takes_its_services_off_the_catalogue(office_a: Office) -> None:
    module_enable(town=office_a.town, key="appointments", enabled=False, actor=VENDOR)

    assert _appointment_titles(office_a) == []
    with tenant_context(office_a.town):
        assert catalogue_search(term="Personalausweis") == []


def test_another_towns_services_never_show(office_a: Office, client_b: Client) -> None:
    with tenant_context(office_a.town):
        Service.objects.create(name="Nur in Tangerhütte").locations.add(office_a.location)

    assert "Nur in Tangerhütte" not in client_b.get("/").content.decode()
    assert "Nur in Tangerhütte" not in client_b.get("/suche/?q=Tangerh%C3%BCtte").content.decode()
    assert client_b.get("/leistungen/nur-in-tangerhuette/").status_code == 404


def test_names_give_unique_addresses(office_a: Office) -> None:
    with tenant_context(office_a.town):
        twin = Service.objects.create(name="Personalausweis beantragen")
        umlaut = Service.objects.create(name="Führungszeugnis für Straßenfeste")

    assert twin.slug == "personalausweis-beantragen-2"
    assert umlaut.slug == "fuhrungszeugnis-fur-strassenfeste"


def test_next_free_appointment_is_the_earliest_time_with_a_link_that_books_it(
    office_a: Office,
) -> None:
    from rathaus.modules.appointments.module import Appointments

    with tenant_context(office_a.town):
        found = Appointments.catalogue_next_free(keys=["personalausweis-beantragen", "unknown"])

    (free,) = found.values()
    assert set(found) == {"personalausweis-beantragen"}
    assert free.place == "Bürgerbüro"
    assert free.url.startswith(
        f"/appointments/{office_a.service.pk}/{office_a.location.pk}/buchen/?start="
    )


def test_a_clerk_fills_in_what_the_catalogue_shows_and_it_shows(
    client_a: Client, office_a: Office
) -> None:
    from .conftest import log_in, make_clerk

    make_clerk(office_a.town)
    log_in(client_a, "clerk@example.org")
    form = client_a.get("/staff/appointments/dienstleistungen/neu/").content.decode()
    for label in ("Lebenslagen", "Suchbegriffe", "Gebühr in Euro", "Bearbeitungsdauer"):
        assert label in form

    response = client_a.post(
        "/staff/appointments/dienstleistungen/neu/",
        {
            "name": "Hund anmelden",
            "summary": "Hundesteuer und Marke.",
            "life_situations": ["tiere"],
            "keywords": "Hundesteuer, dog",
            "duration_minutes_hours": "",
            "duration_minutes_minutes": "15",
            "fee": "0",
            "processing_time": "sofort",
            "popular": "on",
            "locations": [office_a.location.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    with tenant_context(office_a.town):
        service = Service.objects.get(name="Hund anmelden")
    assert service.slug == "hund-anmelden"
    assert service.life_situations == ["tiere"]
    assert service.fee == Decimal("0")
    page = client_a.get("/leistungen/hund-anmelden/").content.decode()
    assert "kostenlos" in page
    assert "sofort" in page
    situation = client_a.get("/lebenslagen/tiere/").content.decode()
    assert 'href="/leistungen/hund-anmelden/"' in situation
    bad = client_a.post(
        "/staff/appointments/dienstleistungen/neu/",
        {
            "name": "X",
            "duration_minutes_minutes": "15",
            "fee": "-1",
            "life_situations": ["keine"],
        },
    )
    assert bad.status_code == 400
