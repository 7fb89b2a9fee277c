"""Migrating the public schema and every town's, in parallel, and knowing at once when not to.

django-tenants' ``migrate_schemas`` asks every schema's catalog and
``django_migrations`` what is applied: seconds per hundred towns even when
nothing is to do. Here each schema's state is one row in the public schema
(``SchemaMigrationState.key``, the hash of all migrations it has, see
``provisioning.migrations_key``): a single query names the schemas whose key
differs from the code's, and only those are migrated. A schema's key is
written only after its migrations succeeded, so a town that failed is simply
still outdated and the next run takes it up again.
"""

import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction

from rathaus.tenants.db import tenant_connection
from rathaus.tenants.provisioning import (
    PUBLIC_SCHEMA,
    migration_state_record,
    migrations_key,
    pool_fill,
    template_build,
)


@dataclass
class MigrationReport:
    migrated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # schema -> error
    up_to_date: int = 0


def _table_exists(name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"public.{name}"])
        row = cursor.fetchone()
    return bool(row and row[0])


def all_tenants_outdated_schemas() -> tuple[list[str], int]:
    """Schemas (``public`` first, then towns) whose migrations differ from the code's, and
    how many are up to date; one query, however many towns there are."""
    if not _table_exists("tenants_schemamigrationstate"):
        return [PUBLIC_SCHEMA], 0
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.schema_name, s.schema_name = %(public)s AS is_public,
                   st.key IS NOT DISTINCT FROM %(key)s AS current
            FROM (
                SELECT %(public)s AS schema_name
                UNION ALL SELECT schema_name FROM tenants_municipality
            ) s
            LEFT JOIN tenants_schemamigrationstate st ON st.schema_name = s.schema_name
            ORDER BY is_public DESC, s.schema_name
            """,
            {"public": PUBLIC_SCHEMA, "key": migrations_key()},
        )
        rows = cursor.fetchall()
    outdated = [name for name, _public, current in rows if not current]
    return outdated, len(rows) - len(outdated)


def schema_migrate(*, schema_name: str) -> None:
    """Applies the missing migrations to one schema and records its new state."""
    if schema_name == PUBLIC_SCHEMA:
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    else:
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=schema_name,
            interactive=False,
            verbosity=0,
        )
    tenant_connection.set_schema_to_public()
    migration_state_record(schema_name=schema_name)


def _migrate_in_child(schema_name: str) -> tuple[str, str | None]:
    try:
        if connection.in_atomic_block:
            # In-process inside a transaction (tests): a savepoint keeps a failing
            # town from aborting the whole transaction.
            with transaction.atomic():
                schema_migrate(schema_name=schema_name)
        else:
            schema_migrate(schema_name=schema_name)
    except Exception as error:  # reported; the other towns go on
        tenant_connection.set_schema_to_public()
        if not connection.in_atomic_block:
            connections.close_all()
        return schema_name, f"{type(error).__name__}: {error}"
    return schema_name, None


def all_tenants_migrate(
    *, jobs: int = 2, progress: Callable[[int, str, str | None], None] | None = None
) -> MigrationReport:
    """Migrates ``public``, then every outdated town in ``jobs`` processes in parallel.

    ``progress(total, schema, error)`` is called once with ``schema=""`` when
    the work is known, then after each schema. A failing town is reported in
    the result and the others go on. Afterwards the template of new towns and
    the warm pool follow the new migrations.
    """
    report = MigrationReport()
    outdated, report.up_to_date = all_tenants_outdated_schemas()
    if progress:
        progress(len(outdated), "", None)
    if not outdated:
        return report
    if outdated[0] == PUBLIC_SCHEMA:
        schema, error = _migrate_in_child(PUBLIC_SCHEMA)
        if progress:
            progress(len(outdated), schema, error)
        if error:
            report.failed[schema] = error
            return report  # towns need the public schema first
        report.migrated.append(schema)
        # A first deploy: the state table exists only now.
        outdated = all_tenants_outdated_schemas()[0]
    towns = [name for name in outdated if name != PUBLIC_SCHEMA]

    def done(schema: str, error: str | None) -> None:
        if error:
            report.failed[schema] = error
        else:
            report.migrated.append(schema)
        if progress:
            progress(len(outdated), schema, error)

    if towns and jobs <= 1:
        for town in towns:
            done(*_migrate_in_child(town))
    elif towns:
        connections.close_all()  # children must not share the parent's connection
        context = multiprocessing.get_context("fork")
        with context.Pool(processes=jobs) as pool:
            for schema, error in pool.imap_unordered(_migrate_in_child, towns):
                done(schema, error)
    template_build()
    pool_fill(size=settings.SCHEMA_POOL_SIZE)
    return report
