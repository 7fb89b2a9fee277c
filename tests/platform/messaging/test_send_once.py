"""Send-once under slow workers, redeliveries and crashes: a run hands over only rows it still
holds, a redelivered task never shares the original's claim, a hand-over that may have
reached the mail server is never sent again, and nothing waiting for its retry goes early."""

import datetime as dt
import smtplib
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import TemporaryFailure
from rathaus.platform.messaging.services import (
    NewMessage,
    claim_timeout,
    message_deliver,
    message_enqueue,
    messages_deliver,
    messages_enqueue_many,
    messages_queue_group,
    messages_requeue,
)
from rathaus.platform.messaging.tasks import deliver_batch
from rathaus.tenants.models import Municipality
from tests.smtp_sink import SmtpSink

from .conftest import NOTE

State = OutboxMessage.State


def _notes(count: int, *, prefix: str = "tests.once") -> list[int]:
    return messages_enqueue_many(
        kind=NOTE,
        messages=[
            NewMessage(key=f"{prefix}:{n}", address=f"p{n}@example.org", context={"text": n})
            for n in range(count)
        ],
        group=prefix,
    )


def _recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def _on_first_send(monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], None]) -> None:
    """Runs ``meanwhile`` while the first message is in the channel's hands (a slow worker)."""
    real_send = MemoryBackend.send_messages
    calls: list[int] = []

    def send_messages(self: MemoryBackend, messages: Any) -> int:
        calls.append(1)
        if len(calls) == 1:
            meanwhile()
        return real_send(self, messages)

    monkeypatch.setattr(MemoryBackend, "send_messages", send_messages)


def _claims_go_stale(ids: list[int]) -> None:
    old = timezone.now() - claim_timeout() - dt.timedelta(minutes=1)
    OutboxMessage.objects.filter(pk__in=ids, state=State.PENDING).update(claimed_at=old)


# --- 1. a hand-over checks the claim ----------------------------------------------


def test_a_slow_run_never_hands_over_rows_another_run_took_over(
    town_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = {}
    with tenant_context(town_a):
        ids = _notes(3)

        def another_run_takes_over() -> None:
            # The slow run's claim has timed out; beat queued the rows again.
            _claims_go_stale(ids)
            results["other"] = messages_deliver(message_ids=ids, claim="other-run")

        _on_first_send(monkeypatch, another_run_takes_over)
        results["slow"] = messages_deliver(message_ids=ids, claim="slow-run")
        states = dict(OutboxMessage.objects.filter(pk__in=ids).values_list("pk", "state"))

    assert _recipients() == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert (results["slow"].sent, results["other"].sent) == (1, 2)
    assert set(states.values()) == {State.SENT}


def test_a_slow_run_whose_transport_fails_leaves_the_rows_another_run_sent_alone(
    town_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rathaus.platform.messaging.contrib.email.channel import EmailSession

    with tenant_context(town_a):
        ids = _notes(3)
        real_send = EmailSession.send

        def send(self: EmailSession, envelope: Any) -> None:
            if envelope.message.claimed_by == "slow-run":
                _claims_go_stale(ids)
                messages_deliver(message_ids=ids, claim="other-run")
                raise TemporaryFailure("Mailserver nicht erreichbar: timeout")
            real_send(self, envelope)

        monkeypatch.setattr(EmailSession, "send", send)
        slow = messages_deliver(message_ids=ids, claim="slow-run")
        rows = {row.pk: row for row in OutboxMessage.objects.filter(pk__in=ids)}

    # The slow run's own message waits again; the two the other run sent stay sent.
    assert slow.postponed == 1
    assert [rows[pk].state for pk in ids] == [State.PENDING, State.SENT, State.SENT]
    assert _recipients() == ["p1@example.org", "p2@example.org"]


# --- 2. a claim is the run's, not the task's ------------------------------------


def test_a_redelivered_task_never_shares_the_slow_originals_claim(
    town_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    with tenant_context(town_a):
        ids = _notes(3)
        # The broker gave the task to a second worker (visibility timeout) while the
        # first still sends: same task id, a run of its own.
        _on_first_send(
            monkeypatch, lambda: deliver_batch.apply(args=(ids,), task_id="same-task-id")
        )
        deliver_batch.apply(args=(ids,), task_id="same-task-id")
        states = set(OutboxMessage.objects.filter(pk__in=ids).values_list("state", flat=True))

    assert _recipients() == ["p0@example.org", "p1@example.org", "p2@example.org"]
    assert states == {State.SENT}


def test_the_broker_never_redelivers_a_retry_that_is_still_waiting() -> None:
    from rathaus.config.celery import app

    visibility = app.conf.broker_transport_options["visibility_timeout"]
    # A retry waits up to MESSAGING_RETRY_MAX in the worker, unacknowledged: Redis
    # must not hand it to a second worker meanwhile.
    assert visibility > django_settings.MESSAGING_RETRY_MAX


def test_a_visibility_timeout_shorter_than_a_retry_wait_is_reported(settings: Any) -> None:
    from rathaus.platform.messaging.checks import check_broker_redelivery

    assert check_broker_redelivery() == []
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
    [warning] = check_broker_redelivery()
    assert warning.id == "messaging.W001"


def test_a_running_delivery_keeps_its_claim_fresh(
    town_a: Municipality, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """A live run's rows never look abandoned to beat, however long its batch takes."""
    settings.MESSAGING_CLAIM_TIMEOUT = 8
    stale_seen: list[int] = []
    real_send = MemoryBackend.send_messages

    def slow_send(self: MemoryBackend, messages: Any) -> int:
        clock["now"] += dt.timedelta(seconds=3)  # each message takes 3 s
        stale_seen.append(
            OutboxMessage.objects.filter(
                claimed_by="long-run",
                state=State.PENDING,
                claimed_at__lt=clock["now"] - claim_timeout(),
            ).count()
        )
        return real_send(self, messages)

    with tenant_context(town_a):
        ids = _notes(6)
        clock = {"now": timezone.now() + dt.timedelta(seconds=1)}
        monkeypatch.setattr(timezone, "now", lambda: clock["now"])
        monkeypatch.setattr(MemoryBackend, "send_messages", slow_send)
        result = messages_deliver(message_ids=ids, claim="long-run")

    assert result.sent == 6
    assert stale_seen == [0] * 6


# --- 3. what may have gone out is unconfirmed, never sent again -------------------


def test_a_connection_lost_after_the_mail_went_over_is_unconfirmed_not_sent_again(
    town_a: Municipality, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_data = smtplib.SMTP.data

    def data_then_gone(self: smtplib.SMTP, msg: Any) -> Any:
        real_data(self, msg)  # the server has the message ...
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")  # ... no reply

    with tenant_context(town_a):
        first, second = _notes(2)
        monkeypatch.setattr(smtplib.SMTP, "data", data_then_gone)
        result = messages_deliver(message_ids=[first, second], claim="t")
        monkeypatch.undo()
        rows = {row.pk: row for row in OutboxMessage.objects.filter(pk__in=[first, second])}
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        again = messages_deliver(message_ids=[first, second], claim="t2")

    assert (result.unconfirmed, result.postponed) == (1, 1)
    assert rows[first].state == State.UNCONFIRMED
    assert rows[second].state == State.PENDING  # never reached the server: tried again
    assert (again.sent, again.unconfirmed) == (1, 0)
    assert smtp.count() == 2
    assert smtp.duplicates() == 0


def test_a_connection_lost_before_the_mail_went_over_tries_again(
    town_a: Municipality, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    def gone(self: smtplib.SMTP, *args: Any, **kwargs: Any) -> Any:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    with tenant_context(town_a):
        [message] = _notes(1)
        monkeypatch.setattr(smtplib.SMTP, "mail", gone)
        result = message_deliver(message_id=message, claim="t")
        row = OutboxMessage.objects.get(pk=message)

    assert (result.postponed, row.state) == (1, State.PENDING)
    assert smtp.count() == 0


def test_a_worker_killed_while_handing_over_leaves_it_to_beat_as_unconfirmed(
    town_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Killed(BaseException):
        """Like SIGKILL: no clean-up code runs."""

    def killed(self: MemoryBackend, messages: Any) -> int:
        raise Killed

    with tenant_context(town_a):
        [message] = _notes(1)
        monkeypatch.setattr(MemoryBackend, "send_messages", killed)
        with pytest.raises(Killed):
            deliver_batch.apply(args=([message],), task_id="killed", throw=True)
        monkeypatch.undo()
        # Redelivered at once (the worker's child died): the new run leaves it alone.
        deliver_batch.apply(args=([message],), task_id="killed")
        in_hand = OutboxMessage.objects.get(pk=message).state
        later = messages_requeue(now=timezone.now() + claim_timeout() + dt.timedelta(seconds=1))
        row = OutboxMessage.objects.get(pk=message)

    assert in_hand == State.SENDING
    assert later.unconfirmed == 1
    assert (row.state, row.error) == (State.UNCONFIRMED, "Übergabe unterbrochen")
    assert not mail.outbox


# --- 4. only what is due ----------------------------------------------------------


def test_a_message_waiting_for_its_retry_is_not_sent_early(
    town_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[list[int]] = []
    monkeypatch.setattr(
        deliver_batch, "apply_async", lambda args, **_: queued.append(list(args[0]))
    )
    with tenant_context(town_a):
        [due, backing_off] = _notes(2)
        OutboxMessage.objects.filter(pk=backing_off).update(
            attempts=1, next_attempt_at=timezone.now() + dt.timedelta(minutes=5)
        )
        # Any task that names it (a duplicate, a stale retry, a group queued again).
        result = messages_deliver(message_ids=[due, backing_off], claim="t")
        messages_queue_group(group="tests.once")
        row = OutboxMessage.objects.get(pk=backing_off)

    assert result.sent == 1
    assert (row.state, row.attempts) == (State.PENDING, 1)
    assert _recipients() == ["p0@example.org"]
    assert queued == []  # nothing else is due: the back-off's own retry sends it
    # The task comes back when it is due.
    assert result.retry_in is not None
    assert 250 < result.retry_in <= 300


def test_a_retry_that_comes_early_waits_for_its_rows(town_a: Municipality) -> None:
    with tenant_context(town_a):
        message = message_enqueue(key="tests.early", kind=NOTE, address="e@example.org")
        OutboxMessage.objects.filter(pk=message.pk).update(
            next_attempt_at=timezone.now() + dt.timedelta(seconds=2)
        )
        result = message_deliver(message_id=message.pk, claim="t")

    assert result.sent == 0
    assert result.retry_in is not None
    assert 0 < result.retry_in <= 2
    assert not mail.outbox
