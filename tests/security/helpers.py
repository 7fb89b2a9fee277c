"""What the security tests share: logging in as someone, and counting a town's rows."""

from django.conf import settings
from django.db import connection
from django.test import Client

from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.factories import PASSWORD


def session_cookie(town: Municipality, email: str) -> str:
    """The session cookie of ``email`` logged in on ``town``'s host with the password."""
    client = Client(HTTP_HOST=town_host(slug=town.slug))
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, f"{email} could not log in on {town.slug}"
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def row_counts(schema: str) -> dict[str, int]:
    """The number of rows of each table of ``schema``: what a request must not change."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = %s AND table_type = 'BASE TABLE'",
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts
