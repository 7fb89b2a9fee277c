"""What the console finds: search, filters and paging over towns, and one town in detail."""

import pytest

from rathaus.modules.services import module_allow, module_enable
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import domain_add
from rathaus.vendor.selectors import TownFilters, all_tenants_page, towns_filtered

VENDOR = Actor.system("vendor-test")


def names(filters: TownFilters) -> list[str]:
    return [town.name for town in towns_filtered(filters=filters)]


@pytest.fixture
def both(town_a: Municipality, town_b: Municipality) -> tuple[Municipality, Municipality]:
    return town_a, town_b


def test_search_finds_a_town_by_part_of_its_name_short_name_ags_or_host(both: tuple) -> None:
    town_a, _ = both
    domain_add(town=town_a, domain="www.tangerhuette.example")

    assert names(TownFilters(query="hütte")) == ["Tangerhütte"]
    assert names(TownFilters(query="BÖRDE")) == ["Hohe Börde"]
    assert names(TownFilters(query="hohe-b")) == ["Hohe Börde"]
    assert names(TownFilters(query="1509")) == ["Tangerhütte"]  # the AGS from its start
    assert names(TownFilters(query="0520")) == []  # not from its middle
    assert names(TownFilters(query="tangerhuette.example")) == ["Tangerhütte"]
    assert names(TownFilters(query="  ")) == ["Hohe Börde", "Tangerhütte"]
    assert names(TownFilters(query="Magdeburg")) == []


def test_filters_by_status_land_and_active_module(both: tuple) -> None:
    town_a, town_b = both
    Municipality.objects.filter(pk=town_b.pk).update(status=Municipality.Status.SUSPENDED)
    module_allow(town=town_a, key="contact", allowed=True, actor=VENDOR)
    module_enable(town=town_a, key="contact", enabled=True, actor=VENDOR)
    module_allow(town=town_b, key="contact", allowed=True, actor=VENDOR)  # allowed, not enabled

    assert names(TownFilters(status="suspended")) == ["Hohe Börde"]
    assert names(TownFilters(status="active")) == ["Tangerhütte"]
    assert names(TownFilters(state="15")) == ["Hohe Börde", "Tangerhütte"]
    assert names(TownFilters(state="09")) == []  # Bayern
    assert names(TownFilters(module="contact")) == ["Tangerhütte"]
    assert names(TownFilters(module="news")) == []
    assert names(TownFilters(status="active", module="contact", query="tanger")) == ["Tangerhütte"]


def test_paging_shows_each_town_once_with_its_counts(both: tuple) -> None:
    first = all_tenants_page(filters=TownFilters(), page=1, per_page=1)
    second = all_tenants_page(filters=TownFilters(), page="2", per_page=1)
    beyond = all_tenants_page(filters=TownFilters(), page="99", per_page=1)
    garbage = all_tenants_page(filters=TownFilters(), page="x", per_page=1)

    assert [row.town.name for row in first.rows] == ["Hohe Börde"]
    assert [row.town.name for row in second.rows] == ["Tangerhütte"]
    assert first.page.paginator.num_pages == 2
    assert first.page.has_next()
    assert not second.page.has_next()
    assert [row.town.name for row in beyond.rows] == ["Tangerhütte"]  # the last page
    assert [row.town.name for row in garbage.rows] == ["Hohe Börde"]  # the first page
    assert first.rows[0].citizens == 0


def test_a_filter_that_matches_nothing_gives_an_empty_page(both: tuple) -> None:
    result = all_tenants_page(filters=TownFilters(query="Magdeburg"))

    assert result.rows == []
    assert result.page.paginator.count == 0
