"""The registries of channels and kinds, and the port through which a module brings a channel."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

import pytest
from django_tenants.utils import tenant_context

from rathaus.modules.channels import module_channel_register
from rathaus.modules.registry import Module
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import (
    Channel,
    ChannelSession,
    Envelope,
    MessageKind,
    Registry,
    Rendered,
    channels,
    kinds,
)
from rathaus.platform.messaging.services import message_deliver, message_enqueue
from rathaus.tenants.models import Municipality
from tests.modules.conftest import switch_on

letters: list[str] = []


class _LetterSession:
    def send(self, envelope: Envelope) -> None:
        letters.append(f"{envelope.message.address}: {envelope.content.body}")


class LetterChannel(Channel):
    """A channel only for this test, as a letter-printing module would bring one."""

    key: ClassVar[str] = "tests.letter"  # type: ignore[misc]
    label = "Brief"

    @contextmanager
    def session(self, *, town: Municipality) -> Iterator[ChannelSession]:
        yield _LetterSession()


class Letter(MessageKind):
    channel = "tests.letter"

    def render(self, message: OutboxMessage) -> Rendered | None:
        return Rendered(body="Ihr Bescheid")


class Letters(Module):
    """Not registered, no package: it borrows the contact module's key (and its gate)."""

    key = "contact"
    title = "Briefe"
    price = "none"
    channels = ("tests.platform.messaging.test_registry.LetterChannel",)


@pytest.fixture
def letter_channel() -> Iterator[None]:
    module_channel_register(module=Letters, path=Letters.channels[0])
    kinds.register("tests.letter")(Letter)
    letters.clear()
    yield
    channels.unregister("tests.letter")
    kinds.unregister("tests.letter")


def test_a_key_is_registered_once_and_found_by_key_in_order() -> None:
    registry: Registry[Channel] = Registry("channel")
    registry.register("sms")(Channel)
    registry.register("email")(Channel)

    with pytest.raises(ValueError, match="registered twice"):
        registry.register("sms")(Channel)
    with pytest.raises(ValueError, match="1 to 64 characters"):
        registry.register("")
    with pytest.raises(KeyError, match="no channel 'fax' is registered"):
        registry["fax"]
    assert [channel.key for channel in registry] == ["email", "sms"]
    assert registry.choices() == [("email", "email"), ("sms", "sms")]
    assert "email" in registry


def test_the_platform_channels_and_the_owners_kinds_are_registered() -> None:
    assert {"email", "sms"} <= set(channels.keys())
    assert {
        "appointments.booking",
        "identity.email_confirmation",
        "identity.password_reset",
        "identity.phone_code",
        "news.opt_in",
        "news.post",
        "staff.invitation",
    } <= set(kinds.keys())
    for kind in kinds:
        assert kind.channel in channels, kind.key


def test_a_modules_channel_reaches_only_towns_where_the_module_is_active(
    letter_channel: None, town_a: Municipality, town_b: Municipality
) -> None:
    switch_on(town_a, "contact")
    channel = channels["tests.letter"]

    assert channel.is_available(town=town_a)
    assert not channel.is_available(town=town_b)
    with tenant_context(town_a):
        letter = message_enqueue(key="tests.letter:1", kind="tests.letter", address="Hauptstr. 1")
        assert message_deliver(message_id=letter.pk, claim="t").sent == 1
    with tenant_context(town_b), pytest.raises(ValueError, match="not available in this town"):
        message_enqueue(key="tests.letter:1", kind="tests.letter", address="Hauptstr. 1")
    assert letters == ["Hauptstr. 1: Ihr Bescheid"]


def test_a_module_switched_off_meanwhile_sends_nothing_over_its_channel(
    letter_channel: None, town_a: Municipality
) -> None:
    from rathaus.modules.services import module_enable
    from tests.modules.conftest import VENDOR

    switch_on(town_a, "contact")
    with tenant_context(town_a):
        letter = message_enqueue(key="tests.letter:2", kind="tests.letter", address="Hauptstr. 1")
    module_enable(town=town_a, key="contact", enabled=False, actor=VENDOR)
    with tenant_context(town_a):
        result = message_deliver(message_id=letter.pk, claim="t")
        assert "nicht verfügbar" in OutboxMessage.objects.get(pk=letter.pk).error

    assert result.failed == 1
    assert letters == []


def test_a_module_channel_needs_a_key_and_a_channel_class() -> None:
    class NoKey(Module):
        key = "contact"
        title = "x"
        price = "none"

    with pytest.raises(TypeError, match="no Channel class"):
        module_channel_register(module=NoKey, path="tests.platform.messaging.test_registry.Letter")
    with pytest.raises(ValueError, match="names no key"):
        module_channel_register(module=NoKey, path="rathaus.platform.messaging.registry.Channel")
