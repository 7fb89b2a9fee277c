"""The schema-aware database connection of django-tenants, in one typed place.

``django.db.connection`` is a proxy to the current thread's connection. With
django-tenants' backend it knows the current town (``tenant``,
``schema_name``) and switches schemas (``set_tenant``, ``set_schema_to_public``).
django-tenants ships no type information, hence ``Any``.
"""

from typing import Any, cast

import psycopg
from django.db import connection

tenant_connection: Any = cast(Any, connection)


def current_schema_name() -> str:
    """The schema the current thread's queries run in: a town's, or ``public``."""
    return str(tenant_connection.schema_name)


def fetch_one_prepared(sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    """Runs a hot statement as a server-side prepared statement; returns its one row.

    For the few statements that run on every click under load (booking): the
    plan is made once per connection instead of on every call, and the values
    travel separately instead of being quoted into the text by Django's
    client-side cursor. The statement runs in the current town's schema and
    transaction like any other; PostgreSQL re-plans it when the search_path
    (the town) changes. Not seen by Django's query log.
    """
    with connection.cursor() as django_cursor:  # sets the town's search_path if needed
        raw = django_cursor.cursor.connection
        with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
            cursor.execute(sql, params, prepare=True)
            row = cursor.fetchone()
    if row is None:
        raise LookupError("the statement returned no row")
    return tuple(row)
