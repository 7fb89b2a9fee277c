"""Liveness of the parts a deployment needs: database, Redis and a Celery worker.

Each check returns a small dict and never raises: a health endpoint that
crashes tells the operator less than one that names the part that is down.
"""

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypedDict

import redis
from django.conf import settings
from django.db import connection

CHECK_TIMEOUT_SECONDS = 1.0
HEARTBEAT_KEY = "rathaus:beat:heartbeat"


class CheckResult(TypedDict, total=False):
    ok: bool
    ms: float
    error: str
    detail: Any


def _timed(check: Callable[[], Any]) -> CheckResult:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:
        return {"ok": False, "ms": _ms_since(started), "error": f"{type(exc).__name__}: {exc}"}
    result: CheckResult = {"ok": True, "ms": _ms_since(started)}
    if detail is not None:
        result["detail"] = detail
    return result


def _ms_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=CHECK_TIMEOUT_SECONDS, socket_connect_timeout=CHECK_TIMEOUT_SECONDS
    )


def check_database() -> CheckResult:
    def probe() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")

    return _timed(probe)


def check_redis() -> CheckResult:
    return _timed(lambda: _redis_client(settings.REDIS_URL).ping() and None)


def check_worker() -> CheckResult:
    from celery import current_app as app

    def probe() -> dict[str, Any]:
        # A broadcast ping goes past the task queues, so a long backlog of
        # work does not make a healthy worker look dead.
        replies = app.control.ping(timeout=CHECK_TIMEOUT_SECONDS, limit=1)
        if not replies:
            raise RuntimeError("no Celery worker answered")
        return {"workers": sorted(name for reply in replies for name in reply)}

    return _timed(probe)


def check_all() -> dict[str, Any]:
    """All checks; ``ok`` is true only when every part is up. ``status`` is ``ok``,
    ``degraded`` (Redis or the worker away: pages still answer from the database, mail
    waits in the outbox) or ``down`` (no database: nothing can be answered)."""
    checks = {
        "database": check_database(),
        "redis": check_redis(),
        "worker": check_worker(),
    }
    ok = all(check["ok"] for check in checks.values())
    return {
        "ok": ok,
        "status": "ok" if ok else "degraded" if checks["database"]["ok"] else "down",
        "checks": checks,
        # Informational: beat may be run elsewhere or paused for maintenance.
        "beat": beat_status(),
    }


def beat_status() -> dict[str, Any]:
    """When the beat heartbeat last ran (``None`` before its first run)."""
    try:
        last_run = _redis_client(settings.CELERY_BROKER_URL).get(HEARTBEAT_KEY)
    except redis.RedisError:
        last_run = None
    if not last_run:
        return {"last_run": None, "age_s": None}
    ran_at = float(last_run)
    return {
        "last_run": datetime.fromtimestamp(ran_at, tz=UTC).isoformat(timespec="seconds"),
        "age_s": round(time.time() - ran_at),
    }
