"""A schema's structure, read from PostgreSQL's catalog, comparable between schemas.

Used to prove that a schema provisioned from the template equals one made by
running every migration (tests, ``bench/onboarding.py``). The schema's own
name is replaced by ``<schema>`` wherever it appears in a definition.
"""

from typing import Any

from django.db import connection

QUERIES: dict[str, str] = {
    "tables": """
        SELECT table_name, table_type FROM information_schema.tables
        WHERE table_schema = %(s)s""",
    "columns": """
        SELECT table_name, column_name,
               -- the column's place among the live ones: a dropped column leaves a
               -- gap in attnum that a dump (rightly) does not reproduce
               row_number() OVER (PARTITION BY table_name ORDER BY ordinal_position),
               data_type, udt_name,
               character_maximum_length, numeric_precision, numeric_scale, is_nullable,
               column_default, is_identity, identity_generation, identity_start,
               identity_increment, is_generated, generation_expression, collation_name
        FROM information_schema.columns WHERE table_schema = %(s)s""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s""",
    "constraints": """
        SELECT rel.relname, con.conname, con.contype, pg_get_constraintdef(con.oid),
               con.condeferrable, con.condeferred, con.convalidated
        FROM pg_constraint con
        JOIN pg_class rel ON rel.oid = con.conrelid
        JOIN pg_namespace ns ON ns.oid = rel.relnamespace
        WHERE ns.nspname = %(s)s""",
    "sequences": """
        SELECT sequencename, data_type, start_value, min_value, max_value, increment_by,
               cycle, cache_size, last_value
        FROM pg_sequences WHERE schemaname = %(s)s""",
    "sequence_owners": """
        SELECT seq.relname, tab.relname, att.attname, dep.deptype
        FROM pg_class seq
        JOIN pg_namespace ns ON ns.oid = seq.relnamespace
        JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass
        JOIN pg_class tab ON tab.oid = dep.refobjid
        JOIN pg_attribute att ON att.attrelid = tab.oid AND att.attnum = dep.refobjsubid
        WHERE seq.relkind = 'S' AND ns.nspname = %(s)s""",
    "triggers": """
        SELECT rel.relname, tg.tgname, pg_get_triggerdef(tg.oid), tg.tgenabled
        FROM pg_trigger tg
        JOIN pg_class rel ON rel.oid = tg.tgrelid
        JOIN pg_namespace ns ON ns.oid = rel.relnamespace
        WHERE ns.nspname = %(s)s AND NOT tg.tgisinternal""",
    "functions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), pg_get_functiondef(p.oid)
        FROM pg_proc p JOIN pg_namespace ns ON ns.oid = p.pronamespace
        WHERE ns.nspname = %(s)s""",
    "views": """
        SELECT viewname, definition FROM pg_views WHERE schemaname = %(s)s""",
    "table_options": """
        SELECT c.relname, c.relkind, c.relpersistence, c.relrowsecurity, c.reloptions
        FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
        WHERE ns.nspname = %(s)s""",
}

# Rows that migrations (and their post_migrate signals) put into a new schema.
SEED_ROWS: dict[str, str] = {
    "django_migrations": "SELECT app, name FROM {schema}.django_migrations",
    "django_content_type": "SELECT id, app_label, model FROM {schema}.django_content_type",
    "auth_permission": ("SELECT id, content_type_id, codename, name FROM {schema}.auth_permission"),
}


def _normalise(value: Any, schema_name: str) -> Any:
    if isinstance(value, str):
        return value.replace(f"{schema_name}.", "<schema>.").replace(schema_name, "<schema>")
    if isinstance(value, list):
        return tuple(_normalise(item, schema_name) for item in value)
    return value


def schema_fingerprint(*, schema_name: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table, column (type, default, nullability), index, constraint, sequence,
    trigger, function and view of ``schema_name``, plus its seed rows, sorted."""
    result: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for name, sql in QUERIES.items():
            cursor.execute(sql, {"s": schema_name})
            result[name] = sorted(
                (tuple(_normalise(v, schema_name) for v in row) for row in cursor.fetchall()),
                key=repr,
            )
        for name, sql in SEED_ROWS.items():
            cursor.execute(sql.format(schema=schema_name))
            result[f"rows:{name}"] = sorted(cursor.fetchall(), key=repr)
    return result
