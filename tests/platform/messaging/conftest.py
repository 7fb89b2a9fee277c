"""Message kinds of the outbox's own tests (registered in this process only) and fixtures."""

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from django.utils.translation import gettext

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import MessageKind, Rendered, kinds
from tests.smtp_sink import SmtpSink

NOTE = "tests.note"
SECRET_NOTE = "tests.secret_note"
BROKEN = "tests.broken"
BATCH_NOTE = "tests.batch_note"

renders: list[int] = []  # how often BatchNote rendered its shared part


class Note(MessageKind):
    """Says ``context["text"]``; nothing (skipped) once ``context["holds"]`` is false."""

    channel = "email"
    label = "Testnachricht"

    def render(self, message: OutboxMessage) -> Rendered | None:
        if not message.context.get("holds", True):
            return None
        # A text of the catalogue, to see the row's language at work.
        return Rendered(
            subject=gettext("Bitte bestätigen Sie Ihre E-Mail-Adresse"),
            body=str(message.context.get("text", "")),
            headers={"X-Note": "1", "Message-ID": "<not-this@example.org>"},
        )


class SecretNote(Note):
    keep_address = False


class Broken(Note):
    def render(self, message: OutboxMessage) -> Rendered | None:
        raise RuntimeError("a bug in a kind")


class BatchNote(Note):
    def render_batch(self, messages: Sequence[OutboxMessage]) -> list[Rendered | None]:
        renders.append(len(messages))
        return [self.render(message) for message in messages]


@pytest.fixture(scope="session", autouse=True)
def _test_kinds() -> Iterator[None]:
    for key, kind in [
        (NOTE, Note),
        (SECRET_NOTE, SecretNote),
        (BROKEN, Broken),
        (BATCH_NOTE, BatchNote),
    ]:
        kinds.register(key)(kind)
    yield
    for key in (NOTE, SECRET_NOTE, BROKEN, BATCH_NOTE):
        kinds.unregister(key)


@pytest.fixture
def smtp(settings: Any, smtp_sink: SmtpSink) -> Iterator[SmtpSink]:
    """This test process sends over SMTP to the session's sink."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    smtp_sink.reset()
    yield smtp_sink
    smtp_sink.reset()


@pytest.fixture
def smtp_down(settings: Any) -> None:
    """Nothing listens on port 9: the connection is refused at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
