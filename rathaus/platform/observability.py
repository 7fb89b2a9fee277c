"""Error reporting to Sentry, with every event tagged with the town it happened in."""

from typing import Any

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint

PUBLIC_TOWN_TAG = "public"


def current_town_tag() -> str:
    """The slug of the town whose schema the current thread works in, else ``public``.

    Read from the database connection rather than from the request, so the same
    hook tags web requests, Celery tasks and management commands alike; never a
    query (unlike ``current_town``), since it runs while an error is reported.
    """
    from rathaus.tenants.db import tenant_connection

    tenant = getattr(tenant_connection, "tenant", None)
    slug = getattr(tenant, "slug", None)
    return str(slug) if slug else PUBLIC_TOWN_TAG


def tag_event_with_town(event: Event, hint: Hint) -> Event:
    """``before_send`` hook: tags the event with the town whose schema it happened in.

    The connection is the one truth about where code runs; a tag left on a
    long-lived scope by earlier work could name the wrong town.
    """
    event.setdefault("tags", {})["town"] = current_town_tag()
    return event


def init_sentry(*, dsn: str, environment: str, **options: Any) -> bool:
    """Switches Sentry on when a DSN is configured; returns whether it is on."""
    if not dsn:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        before_send=tag_event_with_town,
        traces_sample_rate=0.0,
        **options,
    )
    return True
