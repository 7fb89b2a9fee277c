"""Town schemas from a template: migrations run once per code version, not once per town.

django-tenants creates a tenant's schema by running every migration in it,
which takes seconds per town. Here a scratch schema is migrated once, dumped
with ``pg_dump`` (tables, sequences, indexes, constraints, functions,
triggers and the seed rows: migration records, content types, permissions),
and the dump is stored as a ``SchemaTemplate``. A new town's schema is that
SQL replayed under the town's schema name, inside the caller's transaction:
a failure rolls the schema back with everything else.

The template's key hashes the names and source of every migration that
applies to town schemas, so a deploy with a new migration builds a new
template on first use (``python manage.py migrate_all`` builds it up front).
"""

import functools
import hashlib
import logging
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.postgresql_backend.base import _check_schema_name

from rathaus.tenants.db import tenant_connection
from rathaus.tenants.models import SchemaMigrationState, SchemaPoolEntry, SchemaTemplate

logger = logging.getLogger(__name__)

PLACEHOLDER = "__rathaus_schema__"
SCRATCH_PREFIX = "rathaus_tpl_"
POOL_PREFIX = "rathaus_pool_"
PUBLIC_SCHEMA = "public"


class TemplateUnavailableError(RuntimeError):
    """No template could be built for the current migrations."""


# --- migration keys -----------------------------------------------------------


@functools.cache
def migrations_key() -> str:
    """Identifies the migrations of this code: the names and source of every migration.

    Every app counts, in every schema: django-tenants records each migration in
    each schema's ``django_migrations`` (those of apps that live elsewhere as
    no-ops), so a town's schema and the public one change with any of them.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True, load=False)
    loader.load_disk()
    digest = hashlib.sha256()
    for app_label, name in sorted(loader.disk_migrations):
        migration = loader.disk_migrations[app_label, name]
        digest.update(f"{app_label}.{name}\n".encode())
        # The source counts too: a migration edited in place (development) is new.
        source = getattr(sys.modules.get(type(migration).__module__), "__file__", None)
        if source:
            digest.update(Path(source).read_bytes())
    return digest.hexdigest()[:32]


def migration_state_record(*, schema_name: str, key: str | None = None) -> None:
    """Records that ``schema_name`` has every migration of this code (or of ``key``)."""
    SchemaMigrationState.objects.update_or_create(
        schema_name=schema_name, defaults={"key": key or migrations_key()}
    )


# --- building the template --------------------------------------------------------


def database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


# Session settings and psql meta-commands of a dump must not leak into the
# connection that replays it (django-tenants manages its search_path).
_SKIP_LINE = re.compile(r"^(\\|--|SET |SELECT pg_catalog\.set_config\()")


def schema_dump(*, schema_name: str) -> str:
    """``schema_name`` with all its rows as replayable SQL, its name replaced by ``PLACEHOLDER``."""
    dump = subprocess.run(  # noqa: S603  (fixed arguments, no shell)
        [
            shutil.which("pg_dump") or "pg_dump",
            "--no-owner",
            "--no-privileges",
            "--no-comments",
            "--inserts",
            "--rows-per-insert=1000",
            f"--schema={schema_name}",
            database_url(),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    lines = [line for line in dump.splitlines() if not _SKIP_LINE.match(line)]
    sql = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    sql = re.sub(rf"^CREATE SCHEMA {schema_name};$", "", sql, flags=re.MULTILINE)
    return re.sub(rf"\b{schema_name}\b", PLACEHOLDER, sql).strip() + "\n"


def _migrate_schema(schema_name: str) -> None:
    """Runs every tenant migration in ``schema_name`` the way django-tenants creates a tenant."""
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=schema_name,
        interactive=False,
        verbosity=0,
    )
    tenant_connection.set_schema_to_public()


def template_build() -> SchemaTemplate:
    """Builds and stores the template for the current migrations (if none is stored yet).

    Migrates a scratch schema, dumps it and drops it again. Needs its own
    transactions, so it refuses to run inside an atomic block.
    """
    key = migrations_key()
    existing = SchemaTemplate.objects.filter(key=key).first()
    if existing is not None:
        return existing
    if connection.in_atomic_block:
        raise TemplateUnavailableError("template_build() cannot run inside a transaction")
    # A random name: two processes building at once do not collide.
    scratch = f"{SCRATCH_PREFIX}{secrets.token_hex(6)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {scratch}")
    try:
        _migrate_schema(scratch)
        sql = schema_dump(schema_name=scratch)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {scratch} CASCADE")
    try:
        with transaction.atomic():
            template = SchemaTemplate.objects.create(key=key, sql=sql)
    except IntegrityError:  # another process stored the same template first
        template = SchemaTemplate.objects.get(key=key)
    SchemaTemplate.objects.exclude(key=key).delete()
    logger.info("Built the town schema template %s", key)
    return template


def _build_in_subprocess() -> None:
    # The caller's transaction must not see (or hold) the scratch schema, and
    # pg_dump can only read committed schemas: a separate process builds it.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE")
        or settings.SETTINGS_MODULE,
        "DATABASE_URL": database_url(),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "schema_template"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise TemplateUnavailableError(
            f"building the schema template failed: {result.stderr[-2000:]}"
        )


_sql_cache: dict[str, str] = {}


def template_sql() -> str:
    """The SQL of the current template, built first if there is none for this code."""
    key = migrations_key()
    if key in _sql_cache:
        return _sql_cache[key]
    sql = SchemaTemplate.objects.filter(key=key).values_list("sql", flat=True).first()
    if sql is None:
        if connection.in_atomic_block:
            _build_in_subprocess()
        else:
            template_build()
        sql = SchemaTemplate.objects.filter(key=key).values_list("sql", flat=True).first()
        if sql is None:
            raise TemplateUnavailableError(f"no schema template for migrations {key}")
    _sql_cache[key] = sql
    return sql


# --- using it -------------------------------------------------------------------


def _check(schema_name: str) -> None:
    _check_schema_name(schema_name)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", schema_name):
        raise ValueError(f"unsupported schema name {schema_name!r}")


def _replay(schema_name: str) -> None:
    sql = template_sql()
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema_name}")
        cursor.execute(sql.replace(PLACEHOLDER, schema_name))


def _pool_claim(schema_name: str) -> bool:
    """Renames a ready pool schema of the current template to ``schema_name``, if there is one."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""DELETE FROM {SchemaPoolEntry._meta.db_table} WHERE id = (
                    SELECT id FROM {SchemaPoolEntry._meta.db_table} WHERE key = %s
                    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
                ) RETURNING schema_name""",  # noqa: S608  (table name from the model)
            [migrations_key()],
        )
        row = cursor.fetchone()
        if row is None:
            return False
        # Sequences, defaults and triggers refer to their objects by OID, and the
        # audit function's body names no schema: a renamed schema is whole.
        cursor.execute(f"ALTER SCHEMA {row[0]} RENAME TO {schema_name}")
    return True


def schema_provision(*, schema_name: str) -> str:
    """Creates ``schema_name`` with every table, seed row and migration record of a town.

    Takes a ready schema from the warm pool (a rename) when there is one of
    the current template, else replays the template. Runs in the caller's
    transaction (PostgreSQL DDL is transactional), so a failure later in the
    caller leaves no schema behind and puts a claimed pool schema back.
    Returns ``"pool"`` or ``"template"``.
    """
    _check(schema_name)
    how = "pool"
    if not _pool_claim(schema_name):
        _replay(schema_name)
        how = "template"
    migration_state_record(schema_name=schema_name, key=migrations_key())
    return how


# pg_try_advisory_xact_lock(POOL_LOCK, 0): one refill step at a time, deployment-wide.
POOL_LOCK = 3_000_005


def _pool_lock() -> bool:
    """Takes the pool's lock for this transaction; ``False`` if a refill holds it now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, 0)", [POOL_LOCK])
        return bool(cursor.fetchone()[0])


def pool_fill(*, size: int) -> int:
    """Tops the warm pool up to ``size`` ready schemas of the current template.

    Drops pool schemas of older templates first. Each schema is made in its own
    transaction, which first takes the pool's advisory lock and counts again,
    so refills running at once never make more than ``size``. A refill that
    finds the lock taken stops: the one holding it goes on until the pool is
    full (a rollout queues one refill per town; they must not all wait, each
    holding a worker). Onboarding's claims do not take the lock. Returns how
    many were made.
    """
    key = migrations_key()
    with transaction.atomic():
        if not _pool_lock():
            return 0
        for entry in SchemaPoolEntry.objects.exclude(key=key):
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {entry.schema_name} CASCADE")
            entry.delete()
    made = 0
    while True:
        with transaction.atomic():
            if not _pool_lock() or SchemaPoolEntry.objects.filter(key=key).count() >= size:
                return made
            name = f"{POOL_PREFIX}{secrets.token_hex(6)}"
            _replay(name)
            SchemaPoolEntry.objects.create(schema_name=name, key=key)
        made += 1


def pool_drain() -> None:
    """Drops every waiting pool schema (e.g. before a benchmark)."""
    for entry in SchemaPoolEntry.objects.all():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {entry.schema_name} CASCADE")
            entry.delete()


def pool_size() -> int:
    return SchemaPoolEntry.objects.filter(key=migrations_key()).count()


def schema_migrate_on_create(*, schema_name: str) -> None:
    """django-tenants' own way (CREATE SCHEMA, then every migration): the baseline for benches
    and the reference the template is compared with in tests."""
    _check_schema_name(schema_name)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema_name}")
    _migrate_schema(schema_name)
