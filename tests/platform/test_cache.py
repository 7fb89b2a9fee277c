"""Cache keys are per town: one town never reads another town's cache entries."""

from django.core.cache import cache
from django_tenants.utils import tenant_context

from rathaus.tenants.models import Municipality


def test_the_same_cache_key_holds_a_separate_value_per_town(
    town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        cache.set("opening-hours", "Mo-Fr 8-16")
    with tenant_context(town_b):
        assert cache.get("opening-hours") is None
        cache.set("opening-hours", "Di 9-12")
    with tenant_context(town_a):
        assert cache.get("opening-hours") == "Mo-Fr 8-16"


def test_deleting_a_key_in_one_town_leaves_the_other_towns_entry(
    town_a: Municipality, town_b: Municipality
) -> None:
    for town in (town_a, town_b):
        with tenant_context(town):
            cache.set("notice", town.slug)
    with tenant_context(town_a):
        cache.delete("notice")
    with tenant_context(town_b):
        assert cache.get("notice") == "hohe-boerde"
