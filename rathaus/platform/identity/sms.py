"""Sending SMS: one interface, a backend chosen by ``settings.SMS_BACKEND``.

Like Django's e-mail backends: the console and file backends serve
development, the memory backend tests, and ``HttpSmsBackend`` is the adapter
for a real SMS provider's HTTP API.
"""

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, e.g. +4915112345678
    body: str


class SmsBackend:
    """The contract of an SMS backend.

    ``send`` delivers one message or raises ``SmsError``; it must not retry by
    itself (the caller decides, so a code is never sent twice unasked).
    """

    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class SmsError(Exception):
    """The message could not be handed to the provider."""


class ConsoleSmsBackend(SmsBackend):
    """Development: logs the message, so the code appears in the server's output."""

    def send(self, message: SmsMessage) -> None:
        logger.warning("SMS to %s: %s", message.to, message.body)


class FileSmsBackend(SmsBackend):
    """Development: appends each message as one JSON line to ``SMS_FILE_PATH/sms.jsonl``."""

    def send(self, message: SmsMessage) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        line = {"to": message.to, "body": message.body, "at": timezone.now().isoformat()}
        with (folder / "sms.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


outbox: list[SmsMessage] = []


class MemorySmsBackend(SmsBackend):
    """Tests: keeps messages in ``rathaus.platform.identity.sms.outbox``."""

    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


class HttpSmsBackend(SmsBackend):
    """Adapter for an SMS provider with a JSON HTTP API (e.g. a German SMS gateway).

    Posts ``{"to", "text", "from"}`` with a bearer token to ``SMS_PROVIDER_URL``;
    any answer but 2xx is an ``SmsError``.
    """

    timeout = 10

    def send(self, message: SmsMessage) -> None:
        if not settings.SMS_PROVIDER_URL:
            raise SmsError("SMS_PROVIDER_URL is not set")
        try:
            response = requests.post(
                settings.SMS_PROVIDER_URL,
                json={"to": message.to, "text": message.body, "from": settings.SMS_SENDER},
                headers={"Authorization": f"Bearer {settings.SMS_PROVIDER_TOKEN}"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise SmsError(str(exc)) from exc
        if not response.ok:
            raise SmsError(f"provider answered {response.status_code}")


def get_sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend


def sms_send(*, to: str, body: str) -> None:
    get_sms_backend().send(SmsMessage(to=to, body=body))
