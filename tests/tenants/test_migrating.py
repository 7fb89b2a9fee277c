"""migrate_all: nothing to do costs one query; a failing town is reported, the rest go on."""

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rathaus.tenants.migrating import all_tenants_outdated_schemas
from rathaus.tenants.models import Municipality, SchemaMigrationState
from rathaus.tenants.provisioning import migration_state_record, migrations_key


@pytest.fixture
def no_pool(settings: Any) -> None:
    settings.SCHEMA_POOL_SIZE = 0


def test_when_nothing_is_to_do_one_query_says_so(
    town_a: Municipality, town_b: Municipality
) -> None:
    migration_state_record(schema_name="public")
    migrations_key()  # computed once per process

    with CaptureQueriesContext(connection) as queries:
        outdated, up_to_date = all_tenants_outdated_schemas()

    assert outdated == []
    assert up_to_date == 1 + Municipality.objects.count()
    asked = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]
    assert len(asked) == 2  # does the state table exist; the states of all schemas


def test_a_failing_town_is_reported_the_others_go_on_and_a_rerun_finishes(
    town_a: Municipality, town_b: Municipality, no_pool: None
) -> None:
    migration_state_record(schema_name="public")
    SchemaMigrationState.objects.filter(
        schema_name__in=[town_a.schema_name, town_b.schema_name]
    ).update(key="old")
    # Town B loses its migration records: migrating it tries to create tables it has.
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {town_b.schema_name}.django_migrations RENAME TO migrations_hidden"
        )

    with pytest.raises(CommandError, match=town_b.schema_name):
        call_command("migrate_all", jobs=1, verbosity=0)

    states = dict(SchemaMigrationState.objects.values_list("schema_name", "key"))
    assert states[town_a.schema_name] == migrations_key()
    assert states[town_b.schema_name] == "old"

    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {town_b.schema_name}.migrations_hidden RENAME TO django_migrations"
        )
    call_command("migrate_all", jobs=1, verbosity=0)

    assert SchemaMigrationState.objects.get(schema_name=town_b.schema_name).key == (
        migrations_key()
    )
    assert all_tenants_outdated_schemas()[0] == []
