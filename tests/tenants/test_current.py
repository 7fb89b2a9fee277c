"""``current_town``: the one way code asks which town it works for."""

import pytest
from django_tenants.utils import schema_context, tenant_context

from rathaus.tenants.current import NoTown, current_town, current_town_or_none
from rathaus.tenants.models import Municipality


def test_in_the_public_schema_there_is_no_town(db: None) -> None:
    assert current_town_or_none() is None
    with pytest.raises(NoTown):
        current_town()


def test_in_a_towns_context_it_is_that_town(town_a: Municipality) -> None:
    with tenant_context(town_a):
        assert current_town() == town_a


def test_a_schema_context_knows_its_town_too(town_b: Municipality) -> None:
    with schema_context(town_b.schema_name):
        assert current_town() == town_b
    assert current_town_or_none() is None
