"""Delivery over a real SMTP connection to a real sink: headers, bounces, retries, crashes."""

from collections.abc import Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core.mail.backends.smtp import EmailBackend
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.news.delivery import (
    DeliveryInterrupted,
    deliveries_create,
    deliveries_to_send,
    delivery_batch_send,
)
from rathaus.modules.news.models import Delivery
from rathaus.modules.news.selectors import post_stats
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


def _send_all(town: Municipality, post: Any, claim: str = "batch-1") -> None:
    deliveries_create(post=post)
    for ids in deliveries_to_send(post=post):
        delivery_batch_send(town=town, post_id=post.pk, delivery_ids=ids, claim=claim)


def test_every_email_has_one_click_unsubscribe_headers(
    news_a: Municipality, smtp: SmtpSink
) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, ["erika@example.org", "max@example.org"])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        _send_all(news_a, post)

    assert smtp.count() == 2
    [message] = smtp.messages_to("erika@example.org")
    headers = message.headers
    assert (
        str(make_header(decode_header(headers["Subject"])))
        == "Tangerhütte: Freibad heute geschlossen"
    )
    unsubscribe = str(headers["List-Unsubscribe"]).strip()  # long headers are folded
    assert unsubscribe.startswith("<http://tangerhuette.localhost/news/unsubscribe/")
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert headers["Message-ID"].endswith("@tangerhuette.localhost>")
    assert unsubscribe[1:-1].encode() in message.body


def test_a_refused_recipient_is_recorded_as_bounced_and_the_rest_go_out(
    news_a: Municipality, smtp: SmtpSink
) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, ["erika@example.org", "weg@bounce.invalid", "max@example.org"])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        _send_all(news_a, post)
        stats = post_stats(post=post)
        bounced = Delivery.objects.get(email="weg@bounce.invalid")

    assert (stats.sent, stats.bounced) == (2, 1)
    assert bounced.error.startswith("550")
    assert smtp.count() == 2


def test_running_a_batch_again_sends_nothing_twice(news_a: Municipality, smtp: SmtpSink) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, [f"p{i}@example.org" for i in range(5)])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        deliveries_create(post=post)
        [ids] = deliveries_to_send(post=post)
        delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=ids, claim="t1")
        # A retried task, a second worker and a second fan-out all find nothing left.
        delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=ids, claim="t1")
        delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=ids, claim="t2")
        assert deliveries_create(post=post) == 0
        assert deliveries_to_send(post=post) == []

    assert smtp.count() == 5
    assert smtp.duplicates() == 0


class Crash(BaseException):
    """Like the worker being killed: no clean-up code runs."""


def test_a_crash_halfway_resumes_where_it_stopped_without_duplicates(
    news_a: Municipality, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = make_topic(news_a, "Freibad")
    emails = [f"p{i}@example.org" for i in range(10)]
    make_subscribers(news_a, topic, emails)
    post = make_post(news_a, topic)
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def dies_at_the_fifth(self: EmailBackend, messages: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 5:
            raise Crash
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", dies_at_the_fifth)
    with tenant_context(news_a):
        deliveries_create(post=post)
        [ids] = deliveries_to_send(post=post)
        with pytest.raises(Crash):
            delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=ids, claim="t1")
        assert post_stats(post=post).sent == 4
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)

    # Later (the claim has gone stale), the publish task runs again.
    with tenant_context(news_a):
        Delivery.objects.filter(post=post).update(claimed_at=timezone.now() - timedelta(minutes=11))
        for batch in deliveries_to_send(post=post):
            delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=batch, claim="t2")
        stats = post_stats(post=post)

    assert smtp.duplicates() == 0
    # The message in the SMTP client's hands at the crash may or may not have gone
    # out: it is never sent again, but reported as unconfirmed.
    assert (stats.sent, stats.unconfirmed, stats.waiting) == (9, 1, 0)
    assert smtp.count() == 9


def test_a_redelivered_batch_task_takes_back_its_own_claim_at_once(
    news_a: Municipality, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, [f"p{i}@example.org" for i in range(6)])
    post = make_post(news_a, topic)
    real_send = EmailBackend.send_messages
    calls = {"n": 0}

    def dies_at_the_third(self: EmailBackend, messages: Any) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise Crash
        return real_send(self, messages)

    with tenant_context(news_a):
        deliveries_create(post=post)
        [ids] = deliveries_to_send(post=post)
        monkeypatch.setattr(EmailBackend, "send_messages", dies_at_the_third)
        with pytest.raises(Crash):
            delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=ids, claim="t1")
        monkeypatch.setattr(EmailBackend, "send_messages", real_send)
        # The broker hands the same task (same id) to another worker.
        delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=ids, claim="t1")
        stats = post_stats(post=post)

    assert (stats.sent, stats.unconfirmed) == (5, 1)
    assert smtp.duplicates() == 0


def test_an_unreachable_mail_server_puts_the_batch_back_for_the_retry(
    news_a: Municipality, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    topic = make_topic(news_a, "Freibad")
    make_subscribers(news_a, topic, ["erika@example.org"])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        deliveries_create(post=post)
        [ids] = deliveries_to_send(post=post)
        with pytest.raises(DeliveryInterrupted):
            delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=ids, claim="t1")
        assert Delivery.objects.get(post=post).status == Delivery.Status.PENDING


def test_someone_who_left_before_their_turn_is_skipped(
    news_a: Municipality, smtp: SmtpSink
) -> None:
    topic = make_topic(news_a, "Freibad")
    [leaver, _stayer] = make_subscribers(news_a, topic, ["weg@example.org", "da@example.org"])
    post = make_post(news_a, topic)

    with tenant_context(news_a):
        deliveries_create(post=post)
        leaver.unsubscribed_at = timezone.now()
        leaver.save()
        for ids in deliveries_to_send(post=post):
            delivery_batch_send(town=news_a, post_id=post.pk, delivery_ids=ids, claim="t1")

    assert smtp.messages_to("da@example.org")
    assert not smtp.messages_to("weg@example.org")
