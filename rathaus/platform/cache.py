"""The Redis cache backend, made to degrade instead of fail while Redis is away.

Everything cached here can be had from the database (host → town, sessions of the
``cached_db`` engine, a town's active modules): a page answers from PostgreSQL,
slower, rather than with a 500. Reads miss, writes are dropped, ``add`` says "not
added" (so a one-time nonce is refused rather than accepted twice). Each failure is
logged, at most once a minute per process, so an outage is visible but not a flood.
"""

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
_LOG_EVERY_SECONDS = 60.0
_last_logged = 0.0


def _unreachable(error: Exception) -> None:
    global _last_logged
    now = time.monotonic()
    if now - _last_logged >= _LOG_EVERY_SECONDS:
        _last_logged = now
        logger.warning("Redis is unreachable, answering without the cache: %s", error)


class ResilientRedisCache(RedisCache):
    """Django's ``RedisCache``; an unreachable Redis is a cache miss, not an error."""

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        try:
            return super().get(key, default, version)
        except _UNREACHABLE as error:
            _unreachable(error)
            return default

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        try:
            return super().get_many(keys, version)
        except _UNREACHABLE as error:
            _unreachable(error)
            return {}

    def has_key(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().has_key(key, version)
        except _UNREACHABLE as error:
            _unreachable(error)
            return False

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        try:
            super().set(key, value, timeout, version)
        except _UNREACHABLE as error:
            _unreachable(error)

    def set_many(self, data: Any, timeout: Any = None, version: int | None = None) -> list[Any]:
        try:
            return super().set_many(data, timeout, version)
        except _UNREACHABLE as error:
            _unreachable(error)
            return list(data)

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().add(key, value, timeout, version)
        except _UNREACHABLE as error:
            _unreachable(error)
            return False

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        try:
            return super().touch(key, timeout, version)
        except _UNREACHABLE as error:
            _unreachable(error)
            return False

    def delete(self, key: Any, version: int | None = None) -> bool:
        try:
            return super().delete(key, version)
        except _UNREACHABLE as error:
            _unreachable(error)
            return False

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        try:
            super().delete_many(keys, version)
        except _UNREACHABLE as error:
            _unreachable(error)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        try:
            return super().incr(key, delta, version)
        except _UNREACHABLE as error:
            _unreachable(error)
            raise ValueError("the cache is unreachable") from error
