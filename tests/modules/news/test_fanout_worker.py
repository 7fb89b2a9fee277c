"""Publishing fans out through the real Celery worker to a real SMTP sink (aiosmtpd)."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.news.models import Post
from rathaus.modules.news.selectors import post_stats
from rathaus.modules.news.services import post_create, post_publish
from rathaus.modules.news.tasks import publish_due
from rathaus.platform.audit.services import Actor
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.modules.news.conftest import make_subscribers, make_topic
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.worker

EDITOR = Actor.system("test-editor")


def _wait_until_sent(town: Municipality, post: Post, expected: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with tenant_context(town):
        while post_stats(post=post).sent < expected and time.monotonic() < deadline:
            time.sleep(0.1)


def test_publishing_sends_each_subscriber_the_post_once_through_the_worker(
    live_towns: dict[str, Municipality],
    celery_worker: None,
    smtp_sink: SmtpSink,
    committed_news: None,
) -> None:
    town_a, town_b = live_towns["a"], live_towns["b"]
    smtp_sink.reset()
    pool = make_topic(town_a, "Freibad")
    emails = [f"buerger{i}@example.org" for i in range(450)]  # three batches
    make_subscribers(town_a, pool, emails)
    make_subscribers(town_b, make_topic(town_b, "Freibad"), ["nachbar@example.org"])

    with tenant_context(town_a):
        post = post_create(
            town=town_a,
            title="Freibad heute geschlossen",
            body="Wegen des Gewitters.",
            topics=[pool],
            publish_now=True,
            actor=EDITOR,
        )
        # Publishing again (a double click) starts nothing new.
        post_publish(town=town_a, post=post, actor=EDITOR)

    smtp_sink.wait_for(len(emails))
    _wait_until_sent(town_a, post, len(emails))
    with smtp_sink.handler.lock:
        received = {email: smtp_sink.handler.recipients[email] for email in emails}
    # Each subscriber once (what else the session's sink got is no business of this test).
    assert set(received.values()) == {1}
    with tenant_context(town_a):
        stats = post_stats(post=post)
    assert (stats.recipients, stats.sent, stats.waiting) == (450, 450, 0)
    with tenant_context(town_b):  # the other town's outbox is untouched
        assert not OutboxMessage.objects.filter(kind="news.post").exists()
    assert smtp_sink.duplicates() == 0
    assert not smtp_sink.messages_to("nachbar@example.org")
    message = smtp_sink.messages_to("buerger7@example.org")[0]
    assert str(message.headers["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"


def test_a_scheduled_post_goes_out_when_beat_finds_it_due(
    live_towns: dict[str, Municipality],
    celery_worker: None,
    smtp_sink: SmtpSink,
    committed_news: None,
) -> None:
    town_a = live_towns["a"]
    smtp_sink.reset()
    waste = make_topic(town_a, "Abfall")
    make_subscribers(town_a, waste, ["erika@example.org"])
    with tenant_context(town_a):
        post = post_create(
            town=town_a,
            title="Biotonne später",
            body="Die Abfuhr verschiebt sich um einen Tag.",
            topics=[waste],
            publish_at=timezone.now() + timedelta(hours=1),
            actor=EDITOR,
        )
        publish_due.delay().get(timeout=30)
        assert Post.objects.get(pk=post.pk).status == Post.Status.SCHEDULED

        Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
        publish_due.delay().get(timeout=30)

    assert smtp_sink.wait_for(1) == 1
    assert smtp_sink.messages_to("erika@example.org")
