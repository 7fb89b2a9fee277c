"""The schema-aware database connection of django-tenants, in one typed place.

``django.db.connection`` is a proxy to the current thread's connection. With
django-tenants' backend it knows the current town (``tenant``,
``schema_name``) and switches schemas (``set_tenant``, ``set_schema_to_public``).
django-tenants ships no type information, hence ``Any``.
"""

from typing import Any, cast

from django.db import connection

tenant_connection: Any = cast(Any, connection)


def current_schema_name() -> str:
    """The schema the current thread's queries run in: a town's, or ``public``."""
    return str(tenant_connection.schema_name)
