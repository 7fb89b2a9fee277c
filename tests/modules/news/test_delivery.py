"""A post's e-mails go through the outbox over a real SMTP connection to a real sink: headers,
refusals, retries, crashes."""

from collections.abc import Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.news.delivery import post_deliveries_create, post_group
from rathaus.modules.news.models import Post
from rathaus.modules.news.selectors import post_stats
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import (
    DeliveryResult,
    claim_timeout,
    messages_deliver,
    messages_requeue,
)
from rathaus.tenants.models import Municipality
from tests.modules.news.conftest import make_post, make_subscribers, make_topic
from tests.smtp_sink import SmtpSink


@pytest.fixture
def smtp(settings: Any, smtp_sink: SmtpSink) -> Iterator[SmtpSink]:
    """This test process sends over SMTP to the session's sink."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    smtp_sink.reset()
    yield smtp_sink
    smtp_sink.reset()


def _waiting(post: Post) -> list[int]:
    return list(
        OutboxMessage.objects.filter(group=post_group(post_id=post.pk), state="pending")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _send_all(post: Post, claim: str = "batch-1") -> DeliveryResult:
    post_deliveries_create(post=post)
    return messages_deliver(message_ids=_waiting(post), claim=claim)


def test_every_email_has_one_click_unsubscribe_headers(
    news_a: Municipality, smtp: SmtpSink
) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, ["erika@example.org", "max@example.org"])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        _send_all(post)

    assert smtp.count() == 2
    [message] = smtp.messages_to("erika@example.org")
    headers = message.headers
    assert (
        str(make_header(decode_header(headers["Subject"])))
        == "Tangerhütte: Freibad heute geschlossen"
    )
    assert str(make_header(decode_header(headers["From"]))) == "Tangerhütte <noreply@localhost>"
    unsubscribe = str(headers["List-Unsubscribe"]).strip()  # long headers are folded
    assert unsubscribe.startswith("<http://tangerhuette.localhost/news/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Precedence"] == "bulk"
    assert headers["Message-ID"].endswith("@tangerhuette.localhost>")
    assert unsubscribe[1:-1].encode() in message.body


def test_a_refused_recipient_is_recorded_as_failed_and_the_rest_go_out(
    news_a: Municipality, smtp: SmtpSink
) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, ["erika@example.org", "weg@bounce.invalid", "max@example.org"])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        _send_all(post)
        stats = post_stats(post=post)
        refused = OutboxMessage.objects.get(address="weg@bounce.invalid")

    assert (stats.sent, stats.failed) == (2, 1)
    assert refused.error.startswith("550")
    assert smtp.count() == 2


def test_running_a_batch_again_sends_nothing_twice(news_a: Municipality, smtp: SmtpSink) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, [f"p{i}@example.org" for i in range(5)])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        assert post_deliveries_create(post=post) == 5
        ids = _waiting(post)
        messages_deliver(message_ids=ids, claim="t1")
        # A retried task, a second worker and a second fan-out all find nothing left.
        messages_deliver(message_ids=ids, claim="t1")
        messages_deliver(message_ids=ids, claim="t2")
        assert post_deliveries_create(post=post) == 0
        assert _waiting(post) == []

    assert smtp.count() == 5
    assert smtp.duplicates() == 0


class Crash(BaseException):
    """Like the worker being killed: no clean-up code runs."""


def _dies_at(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def dies(self: EmailBackend, messages: Any) -> int:
        calls["n"] += 1
        if calls["n"] == n:
            raise Crash
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", dies)


def test_a_crash_halfway_resumes_where_it_stopped_without_duplicates(
    news_a: Municipality, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, [f"p{i}@example.org" for i in range(10)])
    post = make_post(news_a, topic)

    _dies_at(monkeypatch, 5)
    with tenant_context(news_a):
        post_deliveries_create(post=post)
        with pytest.raises(Crash):
            messages_deliver(message_ids=_waiting(post), claim="t1")
        assert post_stats(post=post).sent == 4
    monkeypatch.undo()

    # Later (the claims have gone stale), beat finds the rest and the dead hand-over.
    with tenant_context(news_a):
        later = timezone.now() + timedelta(minutes=11)
        OutboxMessage.objects.filter(group=post_group(post_id=post.pk)).update(
            claimed_at=timezone.now() - timedelta(minutes=11)
        )
        monkeypatch.setattr(
            "rathaus.platform.messaging.tasks.deliver_batch.apply_async",
            lambda args, **_: messages_deliver(message_ids=args[0], claim="t2"),
        )
        requeued = messages_requeue(now=later)
        stats = post_stats(post=post)

    assert (requeued.unconfirmed, requeued.requeued) == (1, 5)
    assert smtp.duplicates() == 0
    # The message in the SMTP client's hands at the crash may or may not have gone
    # out: it is never sent again, but reported as unconfirmed.
    assert (stats.sent, stats.unconfirmed, stats.waiting) == (9, 1, 0)
    assert smtp.count() == 9


def test_a_batch_whose_worker_died_is_finished_once_its_claim_ran_out(
    news_a: Municipality, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, [f"p{i}@example.org" for i in range(6)])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        post_deliveries_create(post=post)
        ids = _waiting(post)
        _dies_at(monkeypatch, 3)
        with pytest.raises(Crash):
            messages_deliver(message_ids=ids, claim="t1")
        monkeypatch.undo()
        # Any other run, the same task redelivered included, finds the claims fresh:
        # the dead run might only be slow.
        assert messages_deliver(message_ids=ids).sent == 0
        # The dead run renews nothing: once its claim ran out, the rest goes out ...
        ran_out = timezone.now() - claim_timeout() - timedelta(seconds=1)
        OutboxMessage.objects.filter(pk__in=ids).update(claimed_at=ran_out)
        result = messages_deliver(message_ids=ids)
        # ... and beat reports the one the dead run had in hand as unconfirmed.
        tidied = messages_requeue()
        stats = post_stats(post=post)

    assert (result.sent, tidied.unconfirmed) == (3, 1)
    assert (stats.sent, stats.unconfirmed) == (5, 1)
    assert smtp.duplicates() == 0


def test_an_unreachable_mail_server_puts_the_batch_back_for_the_retry(
    news_a: Municipality, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, ["erika@example.org", "max@example.org"])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        result = _send_all(post)
        rows = list(OutboxMessage.objects.filter(group=post_group(post_id=post.pk)))

    assert (result.sent, result.postponed, result.retry_in) == (0, 2, 30)
    assert {(row.state, row.attempts, row.claimed_by) for row in rows} == {("pending", 1, "")}
    assert all(row.next_attempt_at > timezone.now() for row in rows)


def test_someone_who_left_before_their_turn_is_skipped(
    news_a: Municipality, smtp: SmtpSink
) -> None:
    topic = make_topic(news_a, "Freibad")
    [leaver, _stayer] = make_subscribers(news_a, topic, ["weg@example.org", "da@example.org"])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        post_deliveries_create(post=post)
        leaver.unsubscribed_at = timezone.now()
        leaver.save()
        result = messages_deliver(message_ids=_waiting(post), claim="t1")
        stats = post_stats(post=post)

    assert (result.sent, result.skipped) == (1, 1)
    assert (stats.recipients, stats.sent, stats.skipped) == (2, 1, 1)
    assert smtp.messages_to("da@example.org")
    assert not smtp.messages_to("weg@example.org")


def test_posts_come_in_the_language_the_subscriber_chose_in(
    news_a: Municipality, smtp: SmtpSink
) -> None:
    topic = make_topic(news_a, "Freibad")
    [jane, erika] = make_subscribers(news_a, topic, ["jane@example.org", "erika@example.org"])
    post = make_post(news_a, topic)
    with tenant_context(news_a):
        type(jane).objects.filter(pk=jane.pk).update(language="en")
        _send_all(post)

    [english] = smtp.messages_to("jane@example.org")
    [german] = smtp.messages_to("erika@example.org")
    assert b"Unsubscribe:" in english.body
    assert b"Abmelden:" in german.body
    assert english.headers["Content-Language"] == "en"
    assert erika.email == "erika@example.org"
