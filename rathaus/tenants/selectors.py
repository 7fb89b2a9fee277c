"""Reads about municipalities, including the cached host -> town lookup.

django-tenants resolves the town with a database query on every request; here
the answer is kept in the deployment-wide Redis cache and dropped whenever a
domain or a town changes (see ``signals``), so every web worker sees a change
on its next request.
"""

from dataclasses import dataclass
from typing import Any

from django.core.cache import caches
from django.db import connection

from rathaus.tenants.models import Domain, Municipality

HOST_CACHE_TIMEOUT = 60 * 60
# An unknown host is remembered briefly, so random host names cannot flood the
# database, yet a newly added domain works at once (its save drops this entry).
UNKNOWN_HOST_CACHE_TIMEOUT = 60
_UNKNOWN = "unknown"


def _host_cache_key(hostname: str) -> str:
    # The version in the key lets a deploy that changes the model's fields
    # ignore entries written by the previous code.
    return f"tenants:host:v2:{hostname}"


def _fields() -> list[str]:
    return [field.attname for field in Municipality._meta.concrete_fields]


@dataclass(frozen=True)
class HostMatch:
    """The town a host belongs to; ``redirect_to`` names the host to send the visitor on to
    (the primary host for a former host, the bare host for ``www.`` of it), else ``None``."""

    town: Municipality
    redirect_to: str | None = None


WWW = "www."


def host_resolve(*, hostname: str) -> HostMatch | None:
    """The town reached on ``hostname`` (and whether the host redirects), or ``None``.

    A registered host answers as it is, ``www.`` included. ``www.<host>`` where only
    ``<host>`` is registered redirects to that host (or on to the primary one if
    ``<host>`` redirects itself): people type the ``www.``, and one address per page
    keeps logins (host-only cookies), the state-account return addresses and
    bookmarks in one place.
    """
    match = _host_lookup(hostname)
    if match is None and hostname.startswith(WWW):
        bare = hostname.removeprefix(WWW)
        found = _host_lookup(bare)
        if found is not None:
            match = HostMatch(found.town, found.redirect_to or bare)
    return match


def _host_lookup(hostname: str) -> HostMatch | None:
    """Exactly ``hostname``, through the cache."""
    cache = caches["platform"]
    key = _host_cache_key(hostname)
    cached: Any = cache.get(key)
    if cached == _UNKNOWN:
        return None
    if cached is not None:
        values, redirect_to = cached
        return HostMatch(Municipality.from_db(connection.alias, _fields(), values), redirect_to)

    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    if domain is None:
        cache.set(key, _UNKNOWN, UNKNOWN_HOST_CACHE_TIMEOUT)
        return None
    town: Municipality = domain.tenant
    redirect_to = primary_domain(town=town) if domain.redirect else None
    if redirect_to == hostname:
        redirect_to = None
    cache.set(key, ([getattr(town, name) for name in _fields()], redirect_to), HOST_CACHE_TIMEOUT)
    return HostMatch(town, redirect_to)


def forget_hosts(*hostnames: str) -> None:
    """Drops cached host lookups, e.g. after a domain or its town changed."""
    if hostnames:
        caches["platform"].delete_many([_host_cache_key(name) for name in hostnames])


def primary_domain(*, town: Municipality) -> str:
    domain = town.domains.filter(is_primary=True).values_list("domain", flat=True).first()
    return domain or ""


def town_url(*, town: Municipality, path: str = "/") -> str:
    """An absolute URL on the town's primary host, for links in e-mails and redirects.

    ``TOWN_URL_SCHEME`` and ``TOWN_URL_PORT`` say how towns are reached
    (https in production; http and the dev server's port in development).
    """

    from rathaus.tenants.services import town_host

    host = primary_domain(town=town) or town_host(slug=town.slug)
    return f"{host_origin(hostname=host)}{path}"


def host_origin(*, hostname: str) -> str:
    """``scheme://host[:port]`` for one of the towns' hosts, as towns are reached
    (``TOWN_URL_SCHEME``, ``TOWN_URL_PORT``): never the scheme, port or letter case of
    the request, which the client chooses."""
    from django.conf import settings

    port = f":{settings.TOWN_URL_PORT}" if settings.TOWN_URL_PORT else ""
    return f"{settings.TOWN_URL_SCHEME}://{hostname.lower()}{port}"
