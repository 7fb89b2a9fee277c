"""The town the current thread works for: the one place that asks the connection.

On a town's host the tenant middleware sets it from the host name; in a
Celery task tenant-schemas-celery sets it from the sender's schema; code in
``schema_context`` / ``tenant_context`` sets it explicitly. On the vendor's
hosts (the public schema) there is none.
"""

from django_tenants.utils import get_public_schema_name

from rathaus.tenants.db import tenant_connection
from rathaus.tenants.models import Municipality


class NoTown(LookupError):  # noqa: N818 (reads as what happened)
    """Code that works for one town ran outside any town (e.g. in the public schema)."""


def current_town_or_none() -> Municipality | None:
    """The town whose schema the current thread works in, or ``None`` in the public schema."""
    town = getattr(tenant_connection, "tenant", None)
    if isinstance(town, Municipality):
        return town
    schema = tenant_connection.schema_name
    if schema == get_public_schema_name():
        return None
    # ``schema_context`` knows only the schema's name: find its town (one query).
    found = Municipality.objects.filter(schema_name=schema).first()
    if found is not None:
        tenant_connection.tenant = found
    return found


def current_town() -> Municipality:
    """The town whose schema the current thread works in; raises ``NoTown`` outside a town."""
    town = current_town_or_none()
    if town is None:
        raise NoTown(f"no town in schema {tenant_connection.schema_name!r}")
    return town
