"""The SMS channel against a real HTTP provider: a refused number fails, an outage waits."""

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django_tenants.utils import tenant_context

from rathaus.platform.identity.messages import PHONE_CODE
from rathaus.platform.identity.models import PhoneChallenge
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import message_deliver, message_enqueue
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory


class Provider(BaseHTTPRequestHandler):
    received: list[dict[str, Any]] = []
    answer = 200
    slow = 0.0  # seconds before answering

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        Provider.received.append(json.loads(self.rfile.read(length)))
        time.sleep(Provider.slow)
        self.send_response(Provider.answer)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def provider(settings: Any) -> Iterator[type[Provider]]:
    server = HTTPServer(("127.0.0.1", 0), Provider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "rathaus.platform.messaging.contrib.sms.backends.HttpSmsBackend"
    settings.SMS_PROVIDER_URL = f"http://127.0.0.1:{server.server_port}/sms"
    Provider.received, Provider.answer, Provider.slow = [], 200, 0.0
    yield Provider
    server.shutdown()


def _code_sms(town: Municipality) -> OutboxMessage:
    with tenant_context(town):
        user = UserFactory.create(phone="+4915112345678")
        challenge = PhoneChallenge.objects.create(user=user, phone=user.phone)
        return message_enqueue(
            key=f"{PHONE_CODE}:{challenge.pk}",
            kind=PHONE_CODE,
            address="0151 12345678",  # as typed: stored in E.164
            recipient=user,
            context={"challenge": challenge.pk},
        )


def test_the_provider_gets_the_town_as_sender_and_the_number_in_e164(
    town_a: Municipality, provider: type[Provider]
) -> None:
    message = _code_sms(town_a)
    with tenant_context(town_a):
        assert message_deliver(message_id=message.pk, claim="t").sent == 1

    [sms] = provider.received
    assert (sms["to"], sms["from"]) == ("+4915112345678", "Tangerhuett")
    assert "Bestätigungscode" in sms["text"]


def test_a_number_the_provider_refuses_fails_without_retrying(
    town_a: Municipality, provider: type[Provider]
) -> None:
    provider.answer = 400
    message = _code_sms(town_a)
    with tenant_context(town_a):
        result = message_deliver(message_id=message.pk, claim="t")
        row = OutboxMessage.objects.get(pk=message.pk)

    assert (result.failed, result.retry_in) == (1, None)
    assert (row.state, row.error) == ("failed", "provider refused the message: 400")


def test_a_provider_in_trouble_is_tried_again_later(
    town_a: Municipality, provider: type[Provider]
) -> None:
    provider.answer = 503
    message = _code_sms(town_a)
    with tenant_context(town_a):
        result = message_deliver(message_id=message.pk, claim="t")
        row = OutboxMessage.objects.get(pk=message.pk)

    assert (result.postponed, result.retry_in) == (1, 30)
    assert (row.state, row.attempts) == ("pending", 1)


def test_a_number_that_is_none_is_refused_when_enqueued(town_a: Municipality) -> None:
    with tenant_context(town_a), pytest.raises(ValueError, match="phone number"):
        message_enqueue(key="k", kind=PHONE_CODE, address="12", context={"challenge": 1})


def test_a_provider_that_took_the_sms_but_never_answered_is_not_asked_again(
    town_a: Municipality, provider: type[Provider], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rathaus.platform.messaging.contrib.sms.backends import HttpSmsBackend

    monkeypatch.setattr(HttpSmsBackend, "timeout", 0.5)
    provider.slow = 2  # it has the SMS; the answer comes too late
    message = _code_sms(town_a)
    with tenant_context(town_a):
        result = message_deliver(message_id=message.pk)
        row = OutboxMessage.objects.get(pk=message.pk)

    assert (result.unconfirmed, result.postponed) == (1, 0)
    assert row.state == "unconfirmed"
    assert len(provider.received) == 1


def test_a_provider_that_cannot_be_reached_is_tried_again_later(
    town_a: Municipality, settings: Any
) -> None:
    settings.SMS_BACKEND = "rathaus.platform.messaging.contrib.sms.backends.HttpSmsBackend"
    settings.SMS_PROVIDER_URL = "http://127.0.0.1:9/sms"  # nothing listens
    message = _code_sms(town_a)
    with tenant_context(town_a):
        result = message_deliver(message_id=message.pk)

    assert (result.postponed, result.unconfirmed) == (1, 0)
