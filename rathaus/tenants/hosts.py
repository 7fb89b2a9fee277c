"""Which Host headers Django accepts: the vendor's hosts from the environment, plus the
town host the tenant middleware has just found in the database.

A town's custom domain (``town domain AGS HOST``) is data, not configuration: it is
admitted for the one request that came on it, once the tenant middleware has matched it
to a town. Everything else Django refuses as usual (``DisallowedHost``). Imported by the
settings, so it imports nothing of Django's apps.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_admitted: ContextVar[str | None] = ContextVar("admitted_town_host", default=None)


class AllowedHosts(list[str]):
    """``settings.ALLOWED_HOSTS``: the configured patterns, then the admitted town host."""

    def __iter__(self) -> Iterator[str]:
        yield from super().__iter__()
        host = _admitted.get()
        if host:
            yield host


@contextmanager
def town_host_admitted(hostname: str) -> Iterator[None]:
    """Lets Django accept ``hostname`` (a town's host, as found in the database) while the
    request that came on it is answered."""
    token = _admitted.set(hostname)
    try:
        yield
    finally:
        _admitted.reset(token)
