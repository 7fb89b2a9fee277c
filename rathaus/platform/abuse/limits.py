"""Named rate limits: how often a client, an account or an e-mail address may do something.

Each package declares its limits once, as ``RateLimit`` constants in its own
``limits.py`` (name, rate, what is counted); views use them through
``rate_limit`` (a decorator) or ``limit_reached`` / ``first_limit_reached``
(to answer with a message of their own). Every declared limit is listed by
``declared_limits()``; a name is one counter, so it may be declared only once.

Counting is django-ratelimit's, in the default cache, whose keys carry the
current town's schema: one town's counters never touch another's. Counted
values are hashed into the cache key; an e-mail address is never stored.
"""

import ipaddress
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

F = TypeVar("F", bound=Callable[..., Any])
_RATE = re.compile(r"^[1-9]\d*/\d*[smhd]$")
# What a request counts as whose client address is unknown or no address.
UNKNOWN_CLIENT = "0.0.0.0"  # noqa: S104 (a counter's key, not an address to bind)


class Per(StrEnum):
    """What a limit counts."""

    # The client's IP address: a household, an office or a mobile network shares one.
    CLIENT = "client"
    # The logged-in account (a visitor who is not logged in: the client address).
    ACCOUNT = "account"
    # An e-mail address the request names, written in any case and spacing.
    EMAIL = "email"


_declared: dict[str, "RateLimit"] = {}


@dataclass(frozen=True)
class RateLimit:
    """At most ``rate`` (django-ratelimit's ``"<count>/<period>"``, e.g. ``"20/h"``) per ``per``.

    ``name`` (``"<package>.<action>"``) names the counter; declaring a second
    limit with the same name and another rate or key raises ``ValueError``.
    """

    name: str
    rate: str
    per: Per

    def __post_init__(self) -> None:
        if not _RATE.match(self.rate):
            raise ValueError(
                f"rate limit {self.name!r}: rate {self.rate!r} is not '<count>/<period>' "
                "with a period in s, m, h or d (e.g. '20/h', '5/d', '10/15m')"
            )
        earlier = _declared.setdefault(self.name, self)
        if earlier != self:
            raise ValueError(
                f"rate limit {self.name!r} is declared twice ({earlier.rate} per {earlier.per}, "
                f"{self.rate} per {self.per}); each name is one counter"
            )

    @property
    def count(self) -> int:
        """How many requests the rate allows in its period."""
        return int(self.rate.split("/", 1)[0])


def declared_limits() -> list[RateLimit]:
    """Every limit declared so far (by the packages imported so far), by name."""
    return sorted(_declared.values(), key=lambda limit: limit.name)


def _key(limit: RateLimit, email: str | None) -> str | Callable[[str, HttpRequest], str]:
    if limit.per is Per.CLIENT:
        return "ip"
    if limit.per is Per.ACCOUNT:
        return "user_or_ip"
    if email is None:
        raise TypeError(f"rate limit {limit.name!r} counts per e-mail address: pass email=")
    address = email.strip().lower()
    return lambda group, request: f"email:{address}"


def limit_reached(
    request: HttpRequest, limit: RateLimit, *, email: str | None = None, count: bool = True
) -> bool:
    """Counts this request against ``limit`` (unless ``count`` is false); true once it is over.

    ``email`` is the address counted by a ``Per.EMAIL`` limit.
    """
    return bool(
        is_ratelimited(
            request,
            group=limit.name,
            key=_key(limit, email),
            rate=limit.rate,
            increment=count,
        )
    )


def first_limit_reached(
    request: HttpRequest, limits: Iterable[RateLimit], *, email: str | None = None
) -> RateLimit | None:
    """Counts this request against each of ``limits``; the first of them that is over, if any.

    Every limit counts the request, also after one is over: a client trying
    many addresses is held by its own limit however the addresses fare.
    """
    reached = [limit for limit in limits if limit_reached(request, limit, email=email)]
    return reached[0] if reached else None


def rate_limit(
    limit: RateLimit, *, methods: tuple[str, ...] = ("POST",), block: bool = True
) -> Callable[[F], F]:
    """Counts a view's requests with one of ``methods`` against ``limit``.

    Over the limit, with ``block`` the request is refused (django-ratelimit's
    ``Ratelimited``, a 403); without, the view finds ``request.limited`` true
    and answers itself (e.g. 429 with a message). For a class-based view, wrap
    it in ``method_decorator``.
    """
    if limit.per is Per.EMAIL:
        raise TypeError(
            f"rate limit {limit.name!r} counts per e-mail address: call limit_reached "
            "with the address from the view"
        )
    decorator: Callable[[F], F] = ratelimit(
        group=limit.name, key=_key(limit, None), rate=limit.rate, method=list(methods), block=block
    )
    return decorator


def client_address(request: HttpRequest) -> str:
    """The visitor's IP address, which limits ``Per.CLIENT`` count (``RATELIMIT_IP_META_KEY``).

    Behind ``TRUSTED_PROXIES`` load balancers or proxies (each appends the address it
    got the request from to ``X-Forwarded-For``), it is that many entries from the
    right: anything further left the client wrote itself. With none, ``REMOTE_ADDR``;
    without this, every visitor behind the load balancer would share its one address.
    """
    from django.conf import settings

    proxies: int = settings.TRUSTED_PROXIES
    remote = str(request.META.get("REMOTE_ADDR", ""))
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if proxies > 0 and len(forwarded) >= proxies:
        remote = forwarded[-proxies]
    return _address_or_unknown(remote)


def _address_or_unknown(address: str) -> str:
    # A server on a Unix socket leaves REMOTE_ADDR empty, and a misconfigured proxy may
    # pass anything: such requests share one count (rather than fail with a 500).
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return UNKNOWN_CLIENT
