"""A municipality's data: official key, federal state, slug and status."""

import pytest
from django.core.exceptions import ValidationError

from rathaus.tenants.models import FederalState, Municipality
from rathaus.tenants.services import municipality_create


def test_the_federal_state_follows_from_the_official_key(town_a: Municipality) -> None:
    assert town_a.state == FederalState.SACHSEN_ANHALT
    assert town_a.state.label == "Sachsen-Anhalt"
    assert list(Municipality.objects.in_state(FederalState.SACHSEN_ANHALT)) != []
    assert list(Municipality.objects.in_state(FederalState.BAYERN)) == []


def test_a_town_is_active_with_its_schema_named_after_its_key(town_a: Municipality) -> None:
    assert town_a.status == Municipality.Status.ACTIVE
    assert town_a.schema_name == "town_15090520"
    assert town_a.domains.get(is_primary=True).domain == "tangerhuette.localhost"


def test_creating_a_town_twice_with_the_same_key_changes_nothing(town_a: Municipality) -> None:
    again = municipality_create(name="Anders", slug="anders", ags=town_a.ags)

    assert again.pk == town_a.pk
    assert Municipality.objects.get(pk=town_a.pk).name == "Tangerhütte"
    assert not Municipality.objects.filter(slug="anders").exists()


@pytest.mark.parametrize(
    ("fields", "wrong_field"),
    [
        ({"ags": "1509052"}, "ags"),
        ({"ags": "1509052X"}, "ags"),
        ({"ags": "99000000"}, "ags"),
        ({"slug": "Tanger Hütte"}, "slug"),
        ({"slug": "-tanger"}, "slug"),
        ({"slug": "tangerhuette"}, "slug"),  # taken
        ({"name": ""}, "name"),
    ],
)
def test_bad_values_are_named_and_nothing_is_created(
    fields: dict[str, str], wrong_field: str, town_a: Municipality
) -> None:
    values = {"name": "Arneburg", "slug": "arneburg", "ags": "15090010", **fields}

    with pytest.raises(ValidationError) as error:
        municipality_create(**values)

    assert wrong_field in error.value.message_dict
    assert not Municipality.objects.filter(ags=values["ags"]).exclude(pk=town_a.pk).exists()
