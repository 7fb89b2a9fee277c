"""A town's schema comes from the template, and equals a schema made by every migration."""

import threading

from django.db import connection, connections
from django_tenants.utils import schema_exists, tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.tenants.catalog import schema_fingerprint
from rathaus.tenants.models import Municipality, SchemaMigrationState, SchemaTemplate
from rathaus.tenants.provisioning import (
    migrations_key,
    pool_drain,
    pool_fill,
    pool_size,
    schema_migrate_on_create,
    schema_provision,
)
from tests.threads import in_thread


def test_a_provisioned_schema_is_identical_to_a_migrated_one(db: None) -> None:
    schema_migrate_on_create(schema_name="cmp_migrated")
    schema_provision(schema_name="cmp_provisioned")

    migrated = schema_fingerprint(schema_name="cmp_migrated")
    provisioned = schema_fingerprint(schema_name="cmp_provisioned")

    for part, rows in migrated.items():
        assert provisioned[part] == rows, part
    # The comparison covers the parts that matter, the audit log's guard included.
    assert len(migrated["tables"]) >= 10
    assert any(row[1] == "audit_entry_no_update_or_delete" for row in migrated["triggers"])
    assert [row[0] for row in migrated["functions"]] == [
        "audit_entry_chain",
        "audit_entry_digest",
        "audit_entry_is_append_only",
    ]
    assert migrated["sequences"]
    assert migrated["indexes"]
    assert migrated["constraints"]
    assert len(migrated["rows:django_migrations"]) > 10


def test_a_schema_from_the_warm_pool_is_identical_to_a_migrated_one(db: None) -> None:
    assert pool_fill(size=1) == 1
    schema_migrate_on_create(schema_name="cmp_migrated")

    assert schema_provision(schema_name="cmp_from_pool") == "pool"

    assert pool_size() == 0
    assert schema_fingerprint(schema_name="cmp_from_pool") == schema_fingerprint(
        schema_name="cmp_migrated"
    )
    assert schema_provision(schema_name="cmp_replayed") == "template"  # pool empty: replay


def test_the_template_is_stored_once_for_the_current_migrations(town_a: Municipality) -> None:
    assert list(SchemaTemplate.objects.values_list("key", flat=True)) == [migrations_key()]
    state = SchemaMigrationState.objects.get(schema_name=town_a.schema_name)
    assert state.key == migrations_key()


def test_a_provisioned_schema_works_and_keeps_the_audit_log_append_only(
    town_a: Municipality,
) -> None:
    with tenant_context(town_a):
        entry = AuditEntry.objects.create(actor_kind="system", actor="t", action="x.y")
        with connection.cursor() as cursor:
            cursor.execute("SAVEPOINT guard")
            try:
                cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
                deleted = True
            except Exception:
                deleted = False
            cursor.execute("ROLLBACK TO SAVEPOINT guard")
    assert not deleted


def test_provisioning_is_undone_with_its_transaction(db: None) -> None:
    from django.db import transaction

    try:
        with transaction.atomic():
            schema_provision(schema_name="town_15090999")
            raise RuntimeError("later step failed")
    except RuntimeError:
        pass

    assert not schema_exists("town_15090999")


def test_two_refills_at_once_never_fill_the_pool_beyond_its_size(db: None) -> None:
    # Two workers refill at the same moment, each on its own connection (committed work).
    start = threading.Barrier(2)
    made: list[int] = []
    failures: list[BaseException] = []

    def refill() -> None:
        try:
            start.wait(timeout=30)
            made.append(pool_fill(size=1))
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            connections.close_all()

    def drain() -> None:
        try:
            pool_drain()
        finally:
            connections.close_all()

    in_thread(drain)
    workers = [threading.Thread(target=refill) for _ in range(2)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
        assert not failures
        assert sorted(made) == [0, 1]
        assert pool_size() == 1
    finally:
        in_thread(drain)
