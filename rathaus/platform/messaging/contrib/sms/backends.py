"""Sending SMS: one interface, a backend chosen by ``settings.SMS_BACKEND``.

Like Django's e-mail backends: the console and file backends serve
development, the memory backend tests, and ``HttpSmsBackend`` is the adapter
for a real SMS provider's HTTP API. The SMS channel (``channel``) is their only
caller: it knows which message it sends and records the outcome.
"""

import json
import logging
from dataclasses import dataclass
from pathlib import Path

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from urllib3.exceptions import NameResolutionError, NewConnectionError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, e.g. +4915112345678
    body: str
    sender: str = ""  # the sender ID shown on the phone; empty: ``settings.SMS_SENDER``


class SmsBackend:
    """The contract of an SMS backend.

    ``send`` delivers one message or raises ``SmsError`` (``SmsRefused`` when the
    provider refuses this message for good, e.g. an invalid number; ``SmsUncertain``
    when the provider may have it though no answer came); it must not
    retry by itself (the outbox decides, so a code is never sent twice unasked).
    """

    def send(self, message: SmsMessage) -> None:
        raise NotImplementedError


class SmsError(Exception):
    """The message could not be handed to the provider now."""


class SmsRefused(SmsError):  # noqa: N818 (reads as what happened)
    """The provider refuses this message (invalid or unreachable number): do not try again."""


class SmsUncertain(SmsError):  # noqa: N818 (reads as what happened)
    """The provider may have the message (the request went out, no answer came): never send
    it again by itself."""


def _sender(message: SmsMessage) -> str:
    return message.sender or str(settings.SMS_SENDER)


class ConsoleSmsBackend(SmsBackend):
    """Development: logs the message, so the code appears in the server's output."""

    def send(self, message: SmsMessage) -> None:
        logger.warning("SMS from %s to %s: %s", _sender(message), message.to, message.body)


class FileSmsBackend(SmsBackend):
    """Development: appends each message as one JSON line to ``SMS_FILE_PATH/sms.jsonl``."""

    def send(self, message: SmsMessage) -> None:
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        line = {
            "to": message.to,
            "from": _sender(message),
            "body": message.body,
            "at": timezone.now().isoformat(),
        }
        with (folder / "sms.jsonl").open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


outbox: list[SmsMessage] = []


class MemorySmsBackend(SmsBackend):
    """Tests: keeps messages in ``rathaus.platform.messaging.contrib.sms.backends.outbox``."""

    def send(self, message: SmsMessage) -> None:
        outbox.append(message)


class HttpSmsBackend(SmsBackend):
    """Adapter for an SMS provider with a JSON HTTP API (e.g. a German SMS gateway).

    Posts ``{"to", "text", "from"}`` with a bearer token to ``SMS_PROVIDER_URL``.
    A 4xx answer (but 408 and 429) refuses the message (``SmsRefused``); no
    connection, or any other answer but 2xx, is an ``SmsError`` (try again later);
    no answer to a request that went out is ``SmsUncertain``.
    """

    timeout = 10

    def send(self, message: SmsMessage) -> None:
        if not settings.SMS_PROVIDER_URL:
            raise SmsError("SMS_PROVIDER_URL is not set")
        try:
            response = requests.post(
                settings.SMS_PROVIDER_URL,
                json={"to": message.to, "text": message.body, "from": _sender(message)},
                headers={"Authorization": f"Bearer {settings.SMS_PROVIDER_TOKEN}"},
                timeout=self.timeout,
            )
        except requests.ConnectTimeout as exc:
            raise SmsError(str(exc)) from exc
        except requests.ConnectionError as exc:
            if _never_connected(exc):
                raise SmsError(str(exc)) from exc
            raise SmsUncertain(str(exc)) from exc
        except requests.RequestException as exc:
            # The request went out (a read timeout, a broken answer): it may have been sent.
            raise SmsUncertain(str(exc)) from exc
        if response.ok:
            return
        if 400 <= response.status_code < 500 and response.status_code not in (408, 429):
            raise SmsRefused(f"provider refused the message: {response.status_code}")
        raise SmsError(f"provider answered {response.status_code}")


def _never_connected(exc: requests.ConnectionError) -> bool:
    """Whether the connection failed before the request went out (refused, no route, DNS)."""
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, NewConnectionError | NameResolutionError)


def get_sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
