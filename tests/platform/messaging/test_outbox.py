"""The outbox: a message is written once, sent once, retried with back-off, never sent twice."""

import datetime as dt
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone, translation
from django_tenants.utils import tenant_context

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import (
    NewMessage,
    message_deliver,
    message_enqueue,
    messages_deliver,
    messages_enqueue_many,
    messages_requeue,
    retry_delay,
)
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.smtp_sink import REFUSED_DOMAIN, SmtpSink

from .conftest import BATCH_NOTE, BROKEN, NOTE, SECRET_NOTE, renders

State = OutboxMessage.State


def _note(key: str = "tests.note:1", **context: Any) -> OutboxMessage:
    return message_enqueue(
        key=key,
        kind=NOTE,
        address=context.pop("address", "erika@example.org"),
        context={"text": "Hallo", **context},
    )


def _row(pk: int) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=pk)


# --- enqueueing ------------------------------------------------------------------


def test_enqueueing_a_key_twice_keeps_one_message_and_sends_it_once(
    town_a: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    with tenant_context(town_a), django_capture_on_commit_callbacks() as queued:
        first = _note()
        again = _note(text="ein anderer Text")

    assert again.pk == first.pk
    assert again.context["text"] == "Hallo"  # the existing row, unchanged
    assert len(queued) == 1  # one task, for the new row only
    with tenant_context(town_a):
        assert OutboxMessage.objects.count() == 1
        assert message_deliver(message_id=first.pk, claim="t").sent == 1
        assert message_deliver(message_id=first.pk, claim="t").sent == 0
    assert len(mail.outbox) == 1


def test_bad_messages_are_refused_with_a_clear_error(town_a: Municipality) -> None:
    with tenant_context(town_a):
        with pytest.raises(ValueError, match=r"no message kind 'tests\.nothing'"):
            message_enqueue(key="k", kind="tests.nothing", address="erika@example.org")
        with pytest.raises(ValueError, match="not an e-mail address"):
            message_enqueue(key="k", kind=NOTE, address="keine-adresse")
        with pytest.raises(ValueError, match="plain values"):
            message_enqueue(
                key="k", kind=NOTE, address="erika@example.org", context={"at": timezone.now()}
            )
        with pytest.raises(ValueError, match="1 to 200 characters"):
            message_enqueue(key="k" * 201, kind=NOTE, address="erika@example.org")
        assert not OutboxMessage.objects.exists()


def test_a_message_is_written_in_the_language_of_the_request(town_a: Municipality) -> None:
    with tenant_context(town_a):
        with translation.override("en"):
            english = _note("tests.note:en")
        german = _note("tests.note:de")
        messages_deliver(message_ids=[english.pk, german.pk], claim="t")

    assert (english.language, german.language) == ("en", "de")
    assert sorted(m.subject for m in mail.outbox) == [
        "Bitte bestätigen Sie Ihre E-Mail-Adresse",
        "Please confirm your e-mail address",
    ]


def test_many_messages_are_written_in_one_statement_and_only_new_keys_count(
    town_a: Municipality, django_assert_num_queries: Any
) -> None:
    messages = [
        NewMessage(key=f"tests.note:many:{n}", address=f"p{n}@example.org", context={"text": n})
        for n in range(300)
    ]
    with tenant_context(town_a):
        assert not OutboxMessage.objects.exists()  # (the connection is in the town's schema now)
        with django_assert_num_queries(1):
            created = messages_enqueue_many(kind=NOTE, messages=messages, group="tests:many")
        assert len(created) == 300
        assert messages_enqueue_many(kind=NOTE, messages=messages[:10], group="tests:many") == []
        assert OutboxMessage.objects.filter(group="tests:many").count() == 300


# --- delivering ------------------------------------------------------------------


def test_a_message_goes_out_from_the_town_with_a_stable_message_id(
    town_a: Municipality, smtp: SmtpSink
) -> None:
    with tenant_context(town_a):
        user = UserFactory.create(email="erika@example.org")
        message = message_enqueue(
            key="tests.note:headers",
            kind=NOTE,
            address="erika@example.org",
            recipient=user,
            context={"text": "Hallo Erika"},
        )
        result = message_deliver(message_id=message.pk, claim="t")
        sent = _row(message.pk)

    assert result.sent == 1
    assert (sent.state, sent.attempts, sent.claimed_by) == (State.SENT, 1, "t")
    assert sent.sent_at is not None
    [received] = smtp.messages_to("erika@example.org")
    headers = received.headers
    assert str(make_header(decode_header(headers["From"]))) == ("Tangerhütte <noreply@localhost>")
    # The row's own Message-ID, whatever the kind said: a duplicate merges in mail clients.
    assert headers["Message-ID"] == f"<outbox.{message.pk}.town_15090520@tangerhuette.localhost>"
    assert headers["X-Note"] == "1"
    assert headers["Content-Language"] == "de"


def test_a_configured_sender_address_keeps_the_towns_name(
    town_a: Municipality, settings: Any
) -> None:
    settings.MESSAGING_FROM_EMAIL = "rathaus@{host}"
    with tenant_context(town_a):
        message_deliver(message_id=_note().pk, claim="t")

    assert mail.outbox[0].from_email == "Tangerhütte <rathaus@tangerhuette.localhost>"


def test_without_a_configured_sender_every_kind_comes_from_the_default_address(
    town_a: Municipality, settings: Any
) -> None:
    from rathaus.platform.identity.messages import EMAIL_CONFIRMATION
    from rathaus.platform.staff.invitations import INVITATION

    settings.MESSAGING_FROM_EMAIL = ""
    settings.DEFAULT_FROM_EMAIL = "Rathaus-Plattform <post@rathaus.example>"
    with tenant_context(town_a):
        user = UserFactory.create(email="neu@example.org", password=None)
        user.set_unusable_password()
        user.email_verified_at = None
        user.save()
        ids = [
            _note().pk,
            message_enqueue(
                key="tests.confirm",
                kind=EMAIL_CONFIRMATION,
                address=user.email,
                context={"user": user.pk},
            ).pk,
            message_enqueue(
                key="tests.invite", kind=INVITATION, address=user.email, context={"user": user.pk}
            ).pk,
        ]
        assert messages_deliver(message_ids=ids).sent == 3

    # The town's name, the platform's address (the one SPF and DKIM are set up for).
    assert {m.from_email for m in mail.outbox} == {"Tangerhütte <post@rathaus.example>"}


def test_a_message_that_no_longer_holds_is_skipped(town_a: Municipality) -> None:
    with tenant_context(town_a):
        message = _note(holds=False)
        assert message_deliver(message_id=message.pk, claim="t").skipped == 1
        assert _row(message.pk).state == State.SKIPPED
    assert not mail.outbox


def test_an_address_that_must_not_be_kept_is_forgotten_once_done(town_a: Municipality) -> None:
    with tenant_context(town_a):
        secret = message_enqueue(
            key="tests.secret:1", kind=SECRET_NOTE, address="neu@example.org", context={"text": "x"}
        )
        kept = _note()
        assert _row(secret.pk).address == "neu@example.org"  # until it is out
        messages_deliver(message_ids=[secret.pk, kept.pk], claim="t")
        forgotten, remembered = _row(secret.pk), _row(kept.pk)

    assert (forgotten.state, forgotten.key, forgotten.address, forgotten.context) == (
        State.SENT,
        "tests.secret:1",
        "",
        {},
    )
    assert remembered.address == "erika@example.org"
    assert len(mail.outbox) == 2


def test_a_refused_recipient_fails_at_once_and_the_others_go_out(
    town_a: Municipality, smtp: SmtpSink
) -> None:
    with tenant_context(town_a):
        refused = _note("tests.note:refused", address=f"niemand{REFUSED_DOMAIN}")
        fine = _note("tests.note:fine")
        result = messages_deliver(message_ids=[refused.pk, fine.pk], claim="t")
        failed = _row(refused.pk)

    assert (result.sent, result.failed, result.retry_in) == (1, 1, None)
    assert failed.state == State.FAILED
    assert failed.error.startswith("550")
    assert smtp.count() == 1


def test_smtp_down_retries_later_with_growing_back_off_then_fails(
    town_a: Municipality, smtp_down: None, settings: Any
) -> None:
    settings.MESSAGING_MAX_ATTEMPTS = 3
    with tenant_context(town_a):
        message = _note()
        waits = []
        for _attempt in range(3):
            before = timezone.now()
            result = message_deliver(message_id=message.pk, claim="t")
            row = _row(message.pk)
            waits.append((row.state, row.attempts, result.retry_in))
            if row.state == State.PENDING:
                assert row.next_attempt_at - before >= dt.timedelta(seconds=result.retry_in or 0)
                assert row.claimed_by == ""
                # Not before it is due; the task's retry comes then.
                assert message_deliver(message_id=message.pk).postponed == 0
                OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())

    assert waits == [
        (State.PENDING, 1, 30.0),
        (State.PENDING, 2, 60.0),
        (State.FAILED, 3, None),
    ]
    assert row.error.startswith("aufgegeben nach 3 Versuchen: Mailserver nicht erreichbar")
    assert retry_delay(20) == dt.timedelta(hours=1)  # never longer than an hour


class Crash(BaseException):
    """Like the worker being killed: no clean-up code runs."""


def test_a_crash_while_handing_over_leaves_it_unconfirmed_never_sent_twice(
    town_a: Municipality, monkeypatch: pytest.MonkeyPatch, smtp: SmtpSink
) -> None:
    def killed(self: EmailBackend, messages: Any) -> int:
        raise Crash

    with tenant_context(town_a):
        message = _note()
        monkeypatch.setattr(EmailBackend, "send_messages", killed)
        with pytest.raises(Crash):
            message_deliver(message_id=message.pk, claim="task-1")
        monkeypatch.undo()
        assert _row(message.pk).state == State.SENDING
        # Any other run, the same task redelivered included, leaves it alone ...
        assert message_deliver(message_id=message.pk, claim="task-2").unconfirmed == 0
        assert message_deliver(message_id=message.pk, claim="task-1").sent == 0
        # ... and beat, once the hand-over is overdue, reports it as unconfirmed.
        later = timezone.now() + dt.timedelta(minutes=11)
        assert messages_requeue(now=later).unconfirmed == 1
        assert message_deliver(message_id=message.pk).sent == 0
        assert _row(message.pk).state == State.UNCONFIRMED
    assert smtp.count() == 0


def test_a_bug_in_a_kind_postpones_its_messages_and_spares_the_others(
    town_a: Municipality,
) -> None:
    with tenant_context(town_a):
        broken = message_enqueue(key="tests.broken:1", kind=BROKEN, address="erika@example.org")
        fine = _note()
        result = messages_deliver(message_ids=[broken.pk, fine.pk], claim="t")
        row = _row(broken.pk)

    assert (result.sent, result.postponed) == (1, 1)
    assert (row.state, row.attempts) == (State.PENDING, 1)
    assert "konnte nicht erstellt werden" in row.error
    assert len(mail.outbox) == 1


def test_a_batch_goes_over_one_connection_and_is_rendered_once(
    town_a: Municipality, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[int] = []
    real_open = EmailBackend.open

    def counting_open(self: EmailBackend) -> bool | None:
        new = real_open(self)
        if new:  # a new connection (open() answers None while one is open)
            opened.append(1)
        return new

    monkeypatch.setattr(EmailBackend, "open", counting_open)
    renders.clear()
    messages = [
        NewMessage(key=f"tests.batch:{n}", address=f"p{n}@example.org", context={"text": n})
        for n in range(50)
    ]
    with tenant_context(town_a):
        ids = messages_enqueue_many(kind=BATCH_NOTE, messages=messages, group="tests:batch")
        result = messages_deliver(message_ids=ids, claim="t")
        states = set(OutboxMessage.objects.filter(pk__in=ids).values_list("state", flat=True))

    assert result.sent == 50
    assert states == {State.SENT}
    assert len(opened) == 1
    assert renders == [50]
    assert smtp.count() == 50
    assert smtp.duplicates() == 0


def test_a_channel_that_is_not_available_fails_its_messages(
    town_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rathaus.platform.messaging.contrib.email.channel import EmailChannel

    with tenant_context(town_a):
        message = _note()
        monkeypatch.setattr(EmailChannel, "is_available", lambda self, *, town: False)
        result = message_deliver(message_id=message.pk, claim="t")
        with pytest.raises(ValueError, match="not available in this town"):
            _note("tests.note:later")

    assert result.failed == 1
    assert not mail.outbox
