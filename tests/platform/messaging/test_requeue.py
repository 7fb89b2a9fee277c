"""Beat's requeue: what was lost is queued again once, stale hand-overs become unconfirmed,
and one town's run never touches another town's messages."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import message_enqueue, messages_deliver, messages_requeue
from rathaus.platform.messaging.tasks import deliver_batch, requeue
from rathaus.tenants.models import Municipality
from tests.platform.test_beat import sent_messages  # noqa: F401 (a fixture)

from .conftest import NOTE

State = OutboxMessage.State


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[int], str]]:
    """What beat queued (ids and the schema the task runs in), instead of the broker."""
    sent: list[tuple[list[int], str]] = []

    def apply_async(args: Any, headers: dict[str, str], **_: Any) -> None:
        sent.append((list(args[0]), headers["_schema_name"]))

    monkeypatch.setattr(deliver_batch, "apply_async", apply_async)
    return sent


def _note(key: str) -> OutboxMessage:
    return message_enqueue(key=key, kind=NOTE, address="erika@example.org", context={"text": key})


def test_a_lost_message_is_queued_again_once_and_a_waiting_one_is_left_alone(
    town_a: Municipality, queued: list[tuple[list[int], str]]
) -> None:
    now = timezone.now()
    with tenant_context(town_a):
        lost = _note("tests.lost")
        fresh = _note("tests.fresh")
        backing_off = _note("tests.backing-off")
        OutboxMessage.objects.filter(pk=lost.pk).update(
            next_attempt_at=now - dt.timedelta(minutes=11)
        )
        OutboxMessage.objects.filter(pk=backing_off.pk).update(
            attempts=2, next_attempt_at=now + dt.timedelta(minutes=5)
        )

        first = messages_requeue(now=now)
        again = messages_requeue(now=now + dt.timedelta(minutes=1))

    assert (first.requeued, first.batches, again.requeued) == (1, 1, 0)
    assert queued == [([lost.pk], town_a.schema_name)]
    assert fresh.pk not in queued[0][0]


def test_a_worker_that_died_holding_a_claim_gives_its_messages_back(
    town_a: Municipality, queued: list[tuple[list[int], str]]
) -> None:
    now = timezone.now()
    with tenant_context(town_a):
        claimed = _note("tests.claimed")
        handed_over = _note("tests.handed-over")
        OutboxMessage.objects.filter(pk=claimed.pk).update(
            claimed_by="dead",
            claimed_at=now - dt.timedelta(minutes=20),
            next_attempt_at=now - dt.timedelta(minutes=20),
        )
        OutboxMessage.objects.filter(pk=handed_over.pk).update(
            state=State.SENDING, claimed_by="dead", claimed_at=now - dt.timedelta(minutes=20)
        )

        result = messages_requeue(now=now)
        # A claim that is still fresh is left to its worker.
        OutboxMessage.objects.filter(pk=claimed.pk).update(
            claimed_at=now, next_attempt_at=now - dt.timedelta(minutes=20)
        )
        assert messages_requeue(now=now + dt.timedelta(minutes=1)).requeued == 0

        assert (result.requeued, result.unconfirmed) == (1, 1)
        assert OutboxMessage.objects.get(pk=handed_over.pk).state == State.UNCONFIRMED
        # The queued batch sends the claimed one; the unconfirmed one never again.
        OutboxMessage.objects.filter(pk=claimed.pk).update(
            claimed_at=now - dt.timedelta(minutes=20)
        )
        assert messages_deliver(message_ids=[claimed.pk, handed_over.pk], claim="new").sent == 1
    assert len(mail.outbox) == 1


def test_the_beat_task_in_one_town_never_touches_another_towns_messages(
    town_a: Municipality, town_b: Municipality, queued: list[tuple[list[int], str]]
) -> None:
    old = timezone.now() - dt.timedelta(hours=1)
    rows = {}
    for town in (town_a, town_b):
        with tenant_context(town):
            rows[town.pk] = _note("tests.same-key-in-both-towns")
            OutboxMessage.objects.update(next_attempt_at=old)
            OutboxMessage.objects.create(
                key="tests.stale",
                channel="email",
                kind=NOTE,
                address="x@example.org",
                state=State.SENDING,
                claimed_at=old,
                claimed_by="dead",
            )

    with tenant_context(town_a):
        requeue.apply()

    assert queued == [([rows[town_a.pk].pk], town_a.schema_name)]
    with tenant_context(town_b):
        assert set(OutboxMessage.objects.values_list("state", flat=True)) == {
            State.PENDING,
            State.SENDING,
        }
        assert OutboxMessage.objects.get(key="tests.same-key-in-both-towns").next_attempt_at == old
    with tenant_context(town_a):
        assert OutboxMessage.objects.get(key="tests.stale").state == State.UNCONFIRMED


def test_delivering_in_one_town_sends_only_that_towns_rows(
    town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        in_a = message_enqueue(key="tests.a", kind=NOTE, address="a@example.org")
    with tenant_context(town_b):
        in_b = message_enqueue(key="tests.b", kind=NOTE, address="b@example.org")

    with tenant_context(town_a):
        messages_deliver(message_ids=[in_a.pk, in_b.pk], claim="t")

    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert mail.outbox[0].from_email == "Tangerhütte <noreply@localhost>"
    with tenant_context(town_b):
        assert OutboxMessage.objects.get(pk=in_b.pk).state == State.PENDING


def test_beat_sends_the_requeue_to_every_active_town_and_no_module_brings_its_own(
    town_a: Municipality,
    town_b: Municipality,
    sent_messages: list[dict[str, object]],  # noqa: F811 (the fixture imported above)
) -> None:
    from django.conf import settings

    from rathaus.config.beat import beat_schedule_with_modules
    from tests.platform.test_beat import QUEUE, _drain, _run

    schedule = beat_schedule_with_modules(settings.CELERY_BEAT_SCHEDULE)
    entry = dict(schedule["messaging-requeue"])
    _run({"requeue": {**entry, "options": {**entry["options"], "queue": QUEUE}}})

    headers = _drain(sent_messages)
    assert sorted(str(h["_schema_name"]) for h in headers) == ["town_15083298", "town_15090520"]
    assert {h["task"] for h in headers} == {"messaging.requeue"}
    assert not [name for name in schedule if "requeue" in name and name != "messaging-requeue"]
    assert "news.tidy-opt-in" not in schedule
