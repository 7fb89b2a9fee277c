"""The Redis cache backend, made to degrade instead of fail while Redis is away.

Everything cached here can be had from the database (host → town, sessions of the
``cached_db`` engine, a town's active modules): a page answers from PostgreSQL,
slower, rather than with a 500. Reads miss, writes are dropped, ``add`` says "not
added" (so a one-time nonce is refused rather than accepted twice). Each failure is
logged, at most once a minute per process, so an outage is visible but not a flood.
"""

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
F = TypeVar("F", bound=Callable[..., Any])
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_LOG_EVERY_SECONDS = 60.0
_last_logged = 0.0


def _unreachable(error: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("Redis is unreachable, answering without the cache: %s", error)


def _or(fallback: Callable[..., Any]) -> Callable[[F], F]:
    """Runs the cache method; while Redis is unreachable, answers ``fallback(*args)``."""

    def wrap(method: F) -> F:
        @functools.wraps(method)
        def degrading(self: RedisCache, *args: Any, **kwargs: Any) -> Any:
            try:
                return method(self, *args, **kwargs)
            except _UNREACHABLE as error:
                _unreachable(error)
                return fallback(*args, **kwargs)

        return degrading  # type: ignore[return-value]

    return wrap


def _incr_fails(*args: Any, **kwargs: Any) -> int:
    # What Django's backends raise for a missing key: django-ratelimit expects it.
    raise ValueError("the cache is unreachable")


def _default(key: Any, default: Any = None, *args: Any, **kwargs: Any) -> Any:
    return default


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``; an unreachable Redis is a cache miss, not an error."""

    get = _or(_default)(RedisCache.get)
    get_many = _or(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _or(lambda *a, **k: False)(RedisCache.has_key)
    set = _or(lambda *a, **k: None)(RedisCache.set)
    set_many = _or(lambda data, *a, **k: list(data))(RedisCache.set_many)
    add = _or(lambda *a, **k: False)(RedisCache.add)
    touch = _or(lambda *a, **k: False)(RedisCache.touch)
    delete = _or(lambda *a, **k: False)(RedisCache.delete)
    delete_many = _or(lambda *a, **k: None)(RedisCache.delete_many)
    incr = _or(_incr_fails)(RedisCache.incr)
