"""End to end: the real worker sends through the real SMTP sink, once; beat's requeue makes good
a task the broker lost; the other town's messages stay where they are."""

import time
from collections.abc import Iterator
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.db import transaction
from django_tenants.utils import tenant_context

from rathaus.platform.identity.messages import PASSWORD_RESET
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import (
    _insert,
    message_enqueue,
    message_prepare,
    messages_requeue,
)
from rathaus.platform.messaging.tasks import deliver_batch
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.worker

EMAIL = "erika.outbox@example.org"


@pytest.fixture
def committed(
    live_towns: dict[str, Municipality], django_db_blocker: pytest.FixtureRequest
) -> Iterator[dict[str, Municipality]]:
    """What the test writes is committed (the worker must see it) and removed after."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield live_towns
        for town in live_towns.values():
            with tenant_context(town):
                OutboxMessage.objects.all().delete()
                User.objects.filter(email=EMAIL).delete()


def _reset_link_for(town: Municipality, key: str) -> OutboxMessage:
    with tenant_context(town):
        user = User.objects.filter(email=EMAIL).first() or UserFactory.create(email=EMAIL)
        return message_prepare(
            key=key, kind=PASSWORD_RESET, address=EMAIL, recipient=user, context={"user": user.pk}
        )


def _state(town: Municipality, pk: int, wanted: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    with tenant_context(town):
        while (state := OutboxMessage.objects.get(pk=pk).state) != wanted:
            if time.monotonic() > deadline:
                break
            time.sleep(0.1)
    return state


def test_the_worker_sends_a_message_once_from_the_town(
    committed: dict[str, Municipality], celery_worker: None, smtp_sink: SmtpSink
) -> None:
    town = committed["a"]
    smtp_sink.reset()
    row = _reset_link_for(town, "tests.worker:1")
    with tenant_context(town), transaction.atomic():
        message = message_enqueue(
            key=row.key,
            kind=row.kind,
            address=row.address,
            recipient=row.recipient,
            context=row.context,
        )
        assert smtp_sink.count() == 0  # not before the commit

    assert smtp_sink.wait_for(1) == 1
    assert _state(town, message.pk, "sent") == "sent"
    [received] = smtp_sink.messages_to(EMAIL)
    assert str(make_header(decode_header(received.headers["From"]))) == (
        "Tangerhütte <noreply@localhost>"
    )
    assert received.headers["Message-ID"] == (
        f"<outbox.{message.pk}.{town.schema_name}@tangerhuette.localhost>"
    )
    assert b"http://tangerhuette.localhost/accounts/password-reset/" in received.body
    # Enqueued again (a double click, a retried caller): nothing more goes out.
    with tenant_context(town):
        assert (
            message_enqueue(key=row.key, kind=row.kind, address=row.address, context=row.context).pk
            == message.pk
        )
    time.sleep(1)
    assert smtp_sink.count() == 1
    assert smtp_sink.duplicates() == 0


def test_a_message_whose_task_was_lost_is_sent_once_beat_requeues_it(
    committed: dict[str, Municipality], celery_worker: None, smtp_sink: SmtpSink
) -> None:
    town_a, town_b = committed["a"], committed["b"]
    smtp_sink.reset()
    # Written, but no task queued (the broker was down at the commit).
    lost = {}
    for town in (town_a, town_b):
        row = _reset_link_for(town, "tests.worker:lost")
        row.next_attempt_at = row.created_at = row.created_at.replace(year=2020)
        with tenant_context(town):
            lost[town.pk] = _insert([row])[row.key]

    with tenant_context(town_a):
        assert messages_requeue().requeued == 1  # what beat does in town A

    assert smtp_sink.wait_for(1) == 1
    assert _state(town_a, lost[town_a.pk], "sent") == "sent"
    time.sleep(1)
    assert smtp_sink.count() == 1
    with tenant_context(town_b):  # town B's beat run has not come yet: its row waits
        assert OutboxMessage.objects.get(pk=lost[town_b.pk]).state == "pending"


def test_a_task_the_broker_hands_out_again_while_it_still_sends_sends_nothing_twice(
    committed: dict[str, Municipality],
    celery_worker: None,
    smtp_sink: SmtpSink,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """This process is the slow original; the real worker gets the same task (same id) from
    Redis meanwhile, as after a visibility timeout, and must leave the original's rows alone."""
    town = committed["a"]
    smtp_sink.reset()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    ids = []
    for n in range(3):
        row = _reset_link_for(town, f"tests.worker:slow:{n}")
        with tenant_context(town):
            ids.append(_insert([row])[row.key])  # no task queued: only the two below
    real_send = EmailBackend.send_messages
    calls: list[int] = []

    def slow_send(self: EmailBackend, messages: Any) -> int:
        calls.append(1)
        if len(calls) == 1:
            deliver_batch.apply_async(
                args=(ids,), task_id="tests-redelivered", headers={"_schema_name": town.schema_name}
            )
            time.sleep(4)  # the worker runs its copy meanwhile
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_send)
    with tenant_context(town):
        deliver_batch.apply(args=(ids,), task_id="tests-redelivered")

    assert smtp_sink.wait_for(3) == 3
    time.sleep(1)
    # Each row once (all three go to the same person: count by Message-ID).
    assert sorted(smtp_sink.handler.message_ids.values()) == [1, 1, 1]
    for pk in ids:
        assert _state(town, pk, "sent") == "sent"
