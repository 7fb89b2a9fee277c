"""System checks of the outbox's settings (``manage.py check``, and every deploy)."""

from typing import Any

from django.conf import settings
from django.core import checks


def check_broker_redelivery(**kwargs: Any) -> list[checks.CheckMessage]:
    """Redis must not hand a task that waits for its retry to a second worker meanwhile.

    A retry waits in the worker unacknowledged for up to ``MESSAGING_RETRY_MAX``;
    a shorter ``visibility_timeout`` makes Redis deliver it again. The outbox
    still sends nothing twice (a claim is per run), but the copies pile up.
    """
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", None) or {}
    visibility = int(options.get("visibility_timeout", 3600))  # kombu's default for Redis
    longest_wait = int(getattr(settings, "MESSAGING_RETRY_MAX", 3600))
    if visibility > longest_wait:
        return []
    return [
        checks.Warning(
            f"Redis' visibility_timeout ({visibility} s) is not longer than "
            f"MESSAGING_RETRY_MAX ({longest_wait} s): a waiting retry is delivered twice.",
            hint="Set CELERY_VISIBILITY_TIMEOUT above MESSAGING_RETRY_MAX (default: twice it).",
            id="messaging.W001",
        )
    ]
