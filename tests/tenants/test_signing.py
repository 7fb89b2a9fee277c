"""Town tokens: one town's token never opens anything on another town."""

import time

import pytest
from django.core import signing
from django_tenants.utils import schema_context, tenant_context

from rathaus.tenants.current import NoTown
from rathaus.tenants.models import Municipality
from rathaus.tenants.signing import BadToken, ExpiredToken, town_dumps, town_loads

SALT = "tests.signing"


def test_a_token_comes_back_with_its_payload_in_its_own_town(town_a: Municipality) -> None:
    with tenant_context(town_a):
        token = town_dumps({"booking": 7}, salt=SALT)
        assert town_loads(token, salt=SALT) == {"booking": 7}


def test_a_token_of_one_town_never_verifies_on_another(
    town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        token = town_dumps({"booking": 7}, salt=SALT)

    with tenant_context(town_b), pytest.raises(BadToken):
        town_loads(token, salt=SALT)
    with pytest.raises(BadToken):
        town_loads(token, salt=SALT, town=town_b)


def test_a_token_made_for_a_named_town_verifies_there_from_any_schema(
    town_a: Municipality,
) -> None:
    token = town_dumps("support", salt=SALT, town=town_a)  # made in the public schema

    with schema_context(town_a.schema_name):
        assert town_loads(token, salt=SALT) == "support"


def test_another_purpose_or_a_changed_token_is_refused(town_a: Municipality) -> None:
    with tenant_context(town_a):
        token = town_dumps({"booking": 7}, salt=SALT)
        with pytest.raises(BadToken):
            town_loads(token, salt="tests.other-purpose")
        with pytest.raises(BadToken):
            town_loads(token[:-2] + ("AA" if not token.endswith("AA") else "BB"), salt=SALT)


def test_an_expired_token_is_refused_and_told_apart_from_a_wrong_one(
    town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        token = town_dumps(1, salt=SALT)
        time.sleep(1.1)
        with pytest.raises(ExpiredToken):
            town_loads(token, salt=SALT, max_age=1)
    with tenant_context(town_b), pytest.raises(BadToken) as foreign:
        town_loads(token, salt=SALT, max_age=1)
    assert not isinstance(foreign.value, ExpiredToken)


def test_no_town_tokens_are_made_outside_a_town(db: None) -> None:
    with pytest.raises(NoTown):
        town_dumps(1, salt=SALT)


def test_a_link_of_the_format_before_town_salts_still_opens_in_its_own_town_only(
    town_a: Municipality, town_b: Municipality
) -> None:
    legacy = signing.dumps({"s": town_a.schema_name, "booking": 7}, salt=SALT, compress=True)

    with tenant_context(town_a):
        assert town_loads(legacy, salt=SALT, legacy_key="s") == {"booking": 7}
        with pytest.raises(BadToken):
            town_loads(legacy, salt=SALT)  # only where the caller still reads old links
    with tenant_context(town_b), pytest.raises(BadToken):
        town_loads(legacy, salt=SALT, legacy_key="s")
