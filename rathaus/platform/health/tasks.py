"""Tasks that show the background machinery works: the beat heartbeat and a town probe."""

import time

import redis
from celery import shared_task
from django.conf import settings

from rathaus.platform.health.checks import HEARTBEAT_KEY
from rathaus.tenants.current import current_town_or_none
from rathaus.tenants.db import current_schema_name


@shared_task(name="platform.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Records that beat scheduled and a worker ran a task (shown by ``/healthz``)."""
    redis.Redis.from_url(settings.CELERY_BROKER_URL).set(HEARTBEAT_KEY, time.time(), ex=600)


@shared_task(name="platform.current_town")
def current_town() -> dict[str, str]:
    """Names the schema and town the task ran in; used to diagnose tenant routing."""
    town = current_town_or_none()
    return {"schema": current_schema_name(), "town": town.slug if town else ""}
