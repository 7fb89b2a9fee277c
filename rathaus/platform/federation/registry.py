"""The registry of state-account protocols (after Open Forms' plugin registries).

A protocol is a ``Plugin`` subclass registered under its key; everything
else (views, the settings page, "test connection") finds it here, so a new
protocol needs no change outside its own module.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.http import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from rathaus.platform.federation.models import IdentityProvider


class FederationError(Exception):
    """A login answer that must be refused; the message is safe to show (German)."""


@dataclass(frozen=True)
class FederatedLogin:
    """What a successful state-account login tells us, already checked."""

    subject: str
    attributes: dict[str, Any]
    trust_level: str
    next_url: str = ""


@dataclass(frozen=True)
class Check:
    """One line of the "test connection" answer."""

    ok: bool
    label: str
    detail: str = ""


class Plugin:
    """The contract of a protocol.

    Implementations read every setting from the town's ``IdentityProvider``
    row (never from Django settings) and raise ``FederationError`` for any
    answer that fails a check. They keep per-login state in the session,
    which lives in the town's own schema.
    """

    title: str = ""
    # Account field -> attribute or claim name; a new town's settings start with it.
    default_mapping: dict[str, str] = {}
    default_attributes: list[str] = []

    def __init__(self, key: str) -> None:
        self.key = key

    def start_login(
        self, request: HttpRequest, provider: "IdentityProvider", *, next_url: str
    ) -> HttpResponse:
        """Sends the browser to the identity provider."""
        raise NotImplementedError

    def complete_login(self, request: HttpRequest, provider: "IdentityProvider") -> FederatedLogin:
        """Checks the provider's answer in ``request``; returns the login or raises."""
        raise NotImplementedError

    def check_connection(self, request: HttpRequest, provider: "IdentityProvider") -> list[Check]:
        """Tries what can be tried without a person logging in."""
        raise NotImplementedError

    def settings_saved(self, provider: "IdentityProvider") -> None:
        """Called with the old and the new values of a saved row: drop what is kept about them."""


P = TypeVar("P", bound=type[Plugin])


class Registry:
    def __init__(self) -> None:
        self._plugins: dict[str, Plugin] = {}

    def register(self, key: str) -> Callable[[P], P]:
        def decorator(cls: P) -> P:
            if key in self._plugins:
                raise ValueError(f"protocol {key!r} is registered twice")
            self._plugins[key] = cls(key)
            return cls

        return decorator

    def __getitem__(self, key: str) -> Plugin:
        return self._plugins[key]

    def __contains__(self, key: object) -> bool:
        return key in self._plugins

    def __iter__(self) -> Iterator[Plugin]:
        return iter(self._plugins.values())


registry = Registry()
