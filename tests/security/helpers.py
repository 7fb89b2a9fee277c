"""What the security tests share: logging in as someone, and counting a town's rows."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context
from oauth2_provider.models import get_access_token_model

from rathaus.platform.identity.models import User
from rathaus.platform.oauth.scopes import SCOPES
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.factories import PASSWORD
from tests.platform.oauth.helpers import register_app


def session_cookie(town: Municipality, email: str) -> str:
    """The session cookie of ``email`` logged in on ``town``'s host with the password."""
    client = Client(HTTP_HOST=town_host(slug=town.slug))
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, f"{email} could not log in on {town.slug}"
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def app_token(town: Municipality, user: User) -> str:
    """A bearer token of an app of ``town`` for ``user``, with every scope."""
    token = secrets.token_urlsafe(32)
    app = register_app(town, name="Prüf-App")
    with tenant_context(town):
        get_access_token_model().objects.create(
            user=user,
            application=app,
            token=token,
            expires=timezone.now() + timedelta(hours=1),
            scope=" ".join(SCOPES),
        )
    return token


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
