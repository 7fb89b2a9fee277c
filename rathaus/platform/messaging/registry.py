"""The two registries of the outbox: channels (how a message travels) and message kinds
(what it says), after Open Forms' plugin registries.

Both are a ``Registry``: a class is registered with a decorator under a unique key
(``@channels.register("email")``, ``@kinds.register("appointments.booking")``), the
registry keeps one instance of it, and everything else finds it by key, iterates it
or offers its choices. Channels are the platform's (``contrib/<key>/``) or a module's
(``Module.channels``, registered by the module framework); kinds belong to whoever
owns the message and are registered in their own code, so the platform never
imports a module.

The contract of a channel
    ``session(town=...)`` is a context manager that opens the transport once (one
    SMTP connection) and yields an object with ``send(envelope)``; the outbox hands
    it up to ``batch_size`` messages in a row. Entering it or ``send`` raise
    ``TemporaryFailure`` when the transport cannot be used now (server unreachable,
    timeout, provider down: the message and the rest of the batch are tried again
    later) and ``send`` raises ``PermanentFailure`` when this one message is
    refused (no such mailbox, an invalid number: it is ``failed``, the batch goes
    on). ``send`` raises ``UncertainDelivery`` when the transport broke after the
    message may have reached it (no answer to the end of the data): the outbox
    never sends that message again (``unconfirmed``). Any other exception counts
    as uncertain too. A channel never retries by itself: the outbox decides, so nothing is sent
    twice unasked. ``address_normalise`` checks an address when a message is
    enqueued; ``is_available(town=...)`` says whether the channel serves that town
    (a module's channel only where the module is active).

The contract of a message kind
    ``channel`` names the channel it is written for. ``render(message)`` returns the
    ``Rendered`` content (subject, text body, optional HTML, headers such as
    List-Unsubscribe, attachments) from the row's ``context`` at send time, or
    ``None`` when what it would say no longer holds (the row becomes ``skipped``).
    The outbox calls it inside ``translation.override(message.language)``, in the
    message's town, with no transaction open. ``render_batch`` renders many at once
    (default: one ``render`` each), for kinds that share work across a batch.
    Secrets (links with tokens, one-time codes) are made here, never stored in the
    row. ``keep_address = False``: once the message is done (sent, skipped, failed,
    unconfirmed) the row keeps only its key and state, its address and context are
    blanked (e.g. the address of someone who has not confirmed an opt-in yet).
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, TypeAlias, TypeVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from rathaus.platform.identity.models import User
    from rathaus.platform.messaging.models import OutboxMessage
    from rathaus.tenants.models import Municipality

Text: TypeAlias = str | Promise
KEY_MAX_LENGTH = 64


class DeliveryError(Exception):
    """A channel could not hand a message over; the message says why (for the row's ``error``)."""


class TemporaryFailure(DeliveryError):  # noqa: N818 (reads as what happened)
    """The transport cannot be used now (server unreachable, timeout): try again later."""


class PermanentFailure(DeliveryError):  # noqa: N818 (reads as what happened)
    """This message is refused for good (no such mailbox, invalid number): it has failed."""


class UncertainDelivery(DeliveryError):  # noqa: N818 (reads as what happened)
    """The transport broke while it had this message (the connection dropped after the
    message went over, a timeout waiting for the answer): it may have gone out. The
    message becomes ``unconfirmed`` and is never sent again; the rest of the batch
    waits as after a ``TemporaryFailure``."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


@dataclass(frozen=True)
class Rendered:
    """What a message says, made by its kind at send time."""

    body: str
    subject: str = ""
    html: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Envelope:
    """One message as a channel gets it: the outbox row (address, key, language) and its content."""

    message: "OutboxMessage"
    content: Rendered


class ChannelSession(Protocol):
    def send(self, envelope: Envelope) -> None:
        """Hands one message over; raises ``TemporaryFailure`` or ``PermanentFailure``."""


class Plugin:
    """What both registries hold: an instance that knows the key it was registered under."""

    label: ClassVar[Text] = ""

    def __init__(self, key: str) -> None:
        self.key = key

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key!r}>"


class Channel(Plugin):
    """How messages travel (see the module docstring for the contract)."""

    @property
    def batch_size(self) -> int:
        """How many messages one session carries at most (one SMTP connection for a batch)."""
        return 1

    def is_available(self, *, town: "Municipality") -> bool:
        return True

    def address_for(self, *, town: "Municipality", recipient: "User") -> str | None:
        """The address under which this channel reaches ``recipient`` (an account of
        ``town``), or ``None`` when it cannot (no address, no consent): what
        ``persons.person_message_enqueue`` asks to pick a person's channel."""
        return None

    def address_normalise(self, address: str) -> str:
        """The address as stored; raises ``ValueError`` naming what is wrong with it."""
        address = address.strip()
        if not address:
            raise ValueError(f"a message over {self.key!r} needs an address")
        return address

    def session(self, *, town: "Municipality") -> AbstractContextManager[ChannelSession]:
        raise NotImplementedError


class MessageKind(Plugin):
    """What a message says (see the module docstring for the contract)."""

    channel: ClassVar[str]
    keep_address: ClassVar[bool] = True

    def render(self, message: "OutboxMessage") -> Rendered | None:
        raise NotImplementedError

    def render_batch(self, messages: Sequence["OutboxMessage"]) -> list[Rendered | None]:
        return [self.render(message) for message in messages]


P = TypeVar("P", bound=Plugin)


class Registry(Generic[P]):
    """Plugins of one sort under unique keys: register, look up, iterate, choices."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._plugins: dict[str, P] = {}

    def register(self, key: str) -> Callable[[type[P]], type[P]]:
        """Class decorator: keeps an instance of the class under ``key`` (once per key)."""
        if not key or len(key) > KEY_MAX_LENGTH or key != key.strip():
            raise ValueError(f"{self.what} key {key!r} must be 1 to {KEY_MAX_LENGTH} characters")

        def decorator(cls: type[P]) -> type[P]:
            if key in self._plugins:
                raise ValueError(f"{self.what} {key!r} is registered twice")
            self._plugins[key] = cls(key)
            return cls

        return decorator

    def unregister(self, key: str) -> None:
        """Removes ``key`` (tests, and a module's channel whose code went away)."""
        self._plugins.pop(key, None)

    def __getitem__(self, key: str) -> P:
        try:
            return self._plugins[key]
        except KeyError:
            raise KeyError(f"no {self.what} {key!r} is registered") from None

    def get(self, key: str) -> P | None:
        return self._plugins.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._plugins

    def __iter__(self) -> Iterator[P]:
        return iter(self._plugins[key] for key in sorted(self._plugins))

    def keys(self) -> list[str]:
        return sorted(self._plugins)

    def choices(self) -> list[tuple[str, Text]]:
        return [(plugin.key, plugin.label or plugin.key) for plugin in self]


channels: Registry[Channel] = Registry("channel")
kinds: Registry[MessageKind] = Registry("message kind")
