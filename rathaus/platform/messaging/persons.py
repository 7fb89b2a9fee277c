"""Delivering "to a person": the outbox picks the channel that reaches them.

A sender (an application's decision, an appointment's confirmation, a bulk notice)
says what it would send over each channel, in the order it prefers them, e.g.
``{"mailbox": "applications.decision.mailbox", "email": "applications.decision.email"}``.
The first channel that is available in the town and reaches the person
(``Channel.address_for``: the mailbox only where its module is on and the person
consented to electronic delivery, e-mail where the account has a real address)
gets the message. When none does, nothing is enqueued and the result says a
letter is needed (the notices module's ``letter`` channel, where there is one, is
just another channel in the list). The sender never names the module behind a
channel.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rathaus.platform.identity.models import User
from rathaus.tenants.current import current_town

from .models import OutboxMessage
from .registry import channels, kinds
from .services import message_enqueue


@dataclass(frozen=True)
class PersonDelivery:
    """Which channel took a message to a person; ``channel`` empty: no channel reaches them."""

    channel: str
    message: OutboxMessage | None

    @property
    def letter_needed(self) -> bool:
        return self.message is None


def person_channel_choose(*, recipient: User, preferred: list[str]) -> tuple[str, str] | None:
    """The first of ``preferred`` channels that reaches ``recipient`` in the current town,
    with the address it reaches them under; ``None`` when none does."""
    town = current_town()
    for key in preferred:
        channel = channels.get(key)
        if channel is None or not channel.is_available(town=town):
            continue
        address = channel.address_for(town=town, recipient=recipient)
        if address:
            return key, address
    return None


def person_message_enqueue(
    *,
    key: str,
    recipient: User,
    kinds_by_channel: Mapping[str, str],
    context: Mapping[str, Any] | None = None,
    language: str | None = None,
) -> PersonDelivery:
    """Enqueues one message to ``recipient`` over the first channel that reaches them.

    ``kinds_by_channel`` maps channel keys, in order of preference, to the message
    kind written for that channel (each kind's ``channel`` must match its key).
    ``key`` is the idempotency key whatever channel is chosen: enqueueing it again
    returns the first row and sends nothing more. Runs in the caller's transaction.
    """
    for channel_key, kind_key in kinds_by_channel.items():
        kind = kinds.get(kind_key)
        if kind is None or kind.channel != channel_key:
            raise ValueError(f"message kind {kind_key!r} is not written for {channel_key!r}")
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return PersonDelivery(channel=existing.channel, message=existing)
    chosen = person_channel_choose(recipient=recipient, preferred=list(kinds_by_channel))
    if chosen is None:
        return PersonDelivery(channel="", message=None)
    channel_key, address = chosen
    message = message_enqueue(
        key=key,
        kind=kinds_by_channel[channel_key],
        address=address,
        context=context,
        recipient=recipient,
        language=language,
    )
    return PersonDelivery(channel=channel_key, message=message)
