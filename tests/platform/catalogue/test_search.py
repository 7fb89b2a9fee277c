"""The catalogue's search over any source's entries: German stemming, typos, English, ranking."""

import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from rathaus.platform.catalogue import sources
from rathaus.platform.catalogue.entries import ServiceEntry
from rathaus.platform.catalogue.selectors import (
    catalogue_by_life_situation,
    catalogue_entries,
    catalogue_search,
)
from rathaus.platform.catalogue.sources import CatalogueSource
from rathaus.tenants.models import Municipality

ENTRIES = [
    ServiceEntry(
        key="personalausweis-beantragen",
        title="Personalausweis beantragen",
        summary="Den neuen Ausweis beantragen.",
        life_situations=("ausweise-und-dokumente",),
        documents=("Biometrisches Passfoto",),
        fee="37,00 €",
    ),
    ServiceEntry(
        key="reisepass-beantragen",
        title="Reisepass beantragen",
        life_situations=("ausweise-und-dokumente",),
        keywords=("passport",),
    ),
    ServiceEntry(
        key="hund-anmelden",
        title="Hund anmelden",
        summary="Hundesteuer und Hundemarke.",
        life_situations=("tiere",),
        keywords=("dog",),
        fee=Decimal("0"),
    ),
    ServiceEntry(
        key="gewerbe-anmelden", title="Gewerbe anmelden", life_situations=("gewerbe-und-arbeit",)
    ),
]


@pytest.fixture
def listed(town_a: Municipality) -> Iterator[list[ServiceEntry]]:
    """A source of its own in the port, listing ENTRIES, while the test runs in town A."""
    listed = list(ENTRIES)

    def provider() -> list[CatalogueSource]:
        return [CatalogueSource("test", lambda: listed)]

    sources.catalogue_sources_provider(provider)
    try:
        with tenant_context(town_a):
            yield listed
    finally:
        sources._providers.remove(provider)


def titles(term: str) -> list[str]:
    return [str(entry.title) for entry in catalogue_search(term=term) if entry.source == "test"]


@pytest.mark.parametrize(
    "term", ["personalausweiss", "Ausweis", "personalausweis", "PERSONALAUSWEIS"]
)
def test_finds_the_identity_card_from_a_typo_and_from_part_of_the_word(
    listed: list[ServiceEntry], term: str
) -> None:
    assert titles(term)[0] == "Personalausweis beantragen"


def test_german_stemming_finds_other_forms_of_a_word(listed: list[ServiceEntry]) -> None:
    assert titles("Ausweise")[0] == "Personalausweis beantragen"
    assert "Hund anmelden" in titles("Hunde")


def test_english_words_find_services_by_keyword_and_by_life_situation(
    listed: list[ServiceEntry],
) -> None:
    assert titles("passport") == ["Reisepass beantragen"]
    assert titles("dog") == ["Hund anmelden"]
    # "Animals" is the English name of the life situation "Tiere".
    assert titles("animals") == ["Hund anmelden"]


def test_the_start_of_a_word_is_enough(listed: list[ServiceEntry]) -> None:
    assert titles("Reisep") == ["Reisepass beantragen"]


def test_a_title_hit_ranks_above_a_hit_in_the_summary(listed: list[ServiceEntry]) -> None:
    listed.append(ServiceEntry(key="hundemarke", title="Fundsachen", summary="Auch Hunde."))

    found = titles("Hund")

    assert found[0] == "Hund anmelden"
    assert "Fundsachen" in found


def test_any_word_of_several_matches(listed: list[ServiceEntry]) -> None:
    assert set(titles("Hund Gewerbe")) == {"Hund anmelden", "Gewerbe anmelden"}


@pytest.mark.parametrize("term", ["", "   ", "!!!", "Müllabfuhr", "xyzzy"])
def test_nothing_matching_finds_nothing(listed: list[ServiceEntry], term: str) -> None:
    assert titles(term) == []


def test_search_syntax_in_the_term_is_just_text(listed: list[ServiceEntry]) -> None:
    assert titles("hund & !(gewerbe | :*") != []


def test_two_sources_with_one_key_keep_one_address_each(listed: list[ServiceEntry]) -> None:
    def other() -> list[CatalogueSource]:
        return [CatalogueSource("other", lambda: [ServiceEntry(key="hund-anmelden", title="Hund")])]

    sources.catalogue_sources_provider(other)
    try:
        slugs = {e.slug for e in catalogue_entries() if e.source in ("test", "other")}
    finally:
        sources._providers.remove(other)

    assert {"hund-anmelden", "other-hund-anmelden"} <= slugs


def test_life_situations_group_the_services_in_their_order(listed: list[ServiceEntry]) -> None:
    groups = catalogue_by_life_situation([e for e in catalogue_entries() if e.source == "test"])

    assert [g.situation.key for g in groups] == [
        "ausweise-und-dokumente",
        "tiere",
        "gewerbe-und-arbeit",
    ]
    assert [str(e.title) for e in groups[0].entries] == [
        "Personalausweis beantragen",
        "Reisepass beantragen",
    ]


def test_a_fee_is_never_a_float() -> None:
    with pytest.raises(TypeError):
        ServiceEntry(key="x", title="X", fee=37.0)  # type: ignore[arg-type]


def test_searching_500_services_is_fast(listed: list[ServiceEntry]) -> None:
    listed.extend(
        ServiceEntry(
            key=f"leistung-{n}",
            title=f"Leistung Nummer {n} beantragen",
            summary="Eine Beschreibung mit einigen Wörtern darüber, was die Verwaltung tut.",
            keywords=("Antrag", "Bescheinigung", f"Stichwort{n}"),
            life_situations=("bauen-und-wohnen",),
        )
        for n in range(500)
    )
    catalogue_search(term="warm up")

    started = time.perf_counter()
    found = titles("personalausweiss")
    elapsed = time.perf_counter() - started

    assert found[0] == "Personalausweis beantragen"
    assert elapsed < 0.3, f"a search over 500 services took {elapsed * 1000:.0f} ms"


def test_pg_trgm_lives_in_the_public_schema_every_town_sees(
    town_a: Municipality, town_b: Municipality
) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'pg_trgm'"
        )
        assert cursor.fetchone() == ("public",)
    for town in (town_a, town_b):
        with tenant_context(town), connection.cursor() as cursor:
            cursor.execute("SELECT word_similarity('ausweis', 'personalausweis')")
            assert cursor.fetchone()[0] > 0.5
