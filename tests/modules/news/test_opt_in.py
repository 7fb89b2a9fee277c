"""The double opt-in e-mail leaves through the outbox after the commit, once, however often it
runs, and the address is forgotten once it is done."""

import time
from collections.abc import Iterator
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.news.models import Topic
from rathaus.modules.news.services import subscription_request
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import claim_timeout, message_deliver, messages_requeue
from rathaus.platform.messaging.tasks import deliver
from rathaus.tenants.models import Municipality
from tests.modules.news.conftest import make_topic, opt_ins, send_opt_in_mails
from tests.smtp_sink import REFUSED_DOMAIN, SmtpSink


@pytest.fixture
def smtp(settings: Any, smtp_sink: SmtpSink) -> Iterator[SmtpSink]:
    """This test process sends over SMTP to the session's sink."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    smtp_sink.reset()
    yield smtp_sink
    smtp_sink.reset()


def _subscribe(client: Client, town: Municipality, email: str = "erika@example.org") -> int:
    with tenant_context(town):
        topic, _ = Topic.objects.get_or_create(name="Abfall", slug="abfall")
    response = client.post("/news/subscribe/", {"email": email, "topics": [topic.pk]})
    assert response.status_code == 200, response.content.decode()
    with tenant_context(town):
        return OutboxMessage.objects.get(address=email).pk


def test_the_email_is_queued_for_when_the_request_is_committed(
    client_a: Client, news_a: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        _subscribe(client_a, news_a)

    assert len(callbacks) == 1  # the outbox's task, sent once the request's row is committed
    assert not mail.outbox  # the request itself sends nothing


def test_a_task_run_twice_sends_one_email(client_a: Client, news_a: Municipality) -> None:
    message_id = _subscribe(client_a, news_a)

    with tenant_context(news_a):
        first = deliver(message_id)
        again = deliver(message_id)

    assert (first["sent"], again["sent"]) == (1, 0)
    assert len(mail.outbox) == 1
    assert "Bitte bestätigen Sie Ihr Abonnement" in mail.outbox[0].subject
    assert mail.outbox[0].from_email == "Tangerhütte <noreply@localhost>"


def test_a_task_that_died_while_sending_is_not_sent_again(
    client_a: Client, news_a: Municipality
) -> None:
    message_id = _subscribe(client_a, news_a)
    with tenant_context(news_a):  # handed to SMTP, then the worker died: it may have gone out
        OutboxMessage.objects.filter(pk=message_id).update(
            state="sending", claimed_by="t1", claimed_at=timezone.now()
        )

        result = message_deliver(message_id=message_id)  # the redelivery leaves it alone
        later = timezone.now() + claim_timeout() + timedelta(seconds=1)
        tidied = messages_requeue(now=later)  # beat, once the hand-over is overdue

    assert (result.sent, result.unconfirmed, tidied.unconfirmed) == (0, 0, 1)
    assert not mail.outbox
    [row] = opt_ins(news_a)
    assert (row.state, row.address) == ("unconfirmed", "")  # and the address is forgotten


def test_an_unreachable_mail_server_keeps_the_email_for_the_retry(
    client_a: Client, news_a: Municipality, settings: Any, smtp_sink: SmtpSink
) -> None:
    message_id = _subscribe(client_a, news_a)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    with tenant_context(news_a):
        result = message_deliver(message_id=message_id, claim="t1")

    assert (result.sent, result.postponed, result.retry_in) == (0, 1, 30)
    [row] = opt_ins(news_a)
    assert (row.state, row.address, row.attempts) == ("pending", "erika@example.org", 1)
    smtp_sink.reset()
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    with tenant_context(news_a):
        OutboxMessage.objects.filter(pk=message_id).update(next_attempt_at=timezone.now())
        assert message_deliver(message_id=message_id, claim="t2").sent == 1  # the retry, due
    assert len(smtp_sink.messages_to("erika@example.org")) == 1
    smtp_sink.reset()


def test_an_address_the_mail_server_refuses_is_failed_and_forgotten(
    client_a: Client, news_a: Municipality, smtp: SmtpSink
) -> None:
    message_id = _subscribe(client_a, news_a, email=f"niemand{REFUSED_DOMAIN}")

    with tenant_context(news_a):
        assert message_deliver(message_id=message_id, claim="t1").failed == 1
    [row] = opt_ins(news_a)
    assert (row.state, row.address) == ("failed", "")
    assert row.error.startswith("550")
    assert smtp.count() == 0


def test_nothing_is_sent_when_the_topics_were_removed_meanwhile(
    client_a: Client, news_a: Municipality
) -> None:
    _subscribe(client_a, news_a)
    with tenant_context(news_a):
        Topic.objects.all().delete()

    assert send_opt_in_mails(news_a) == []
    [row] = opt_ins(news_a)
    assert (row.state, row.address) == ("skipped", "")


def test_the_email_speaks_the_language_the_visitor_asked_in(
    news_a: Municipality, smtp: SmtpSink
) -> None:
    topic = make_topic(news_a, "Abfall")
    english = Client(HTTP_HOST="tangerhuette.localhost", HTTP_ACCEPT_LANGUAGE="en")
    english.post("/news/subscribe/", {"email": "jane@example.org", "topics": [topic.pk]})

    send_opt_in_mails(news_a)

    [message] = smtp.messages_to("jane@example.org")
    subject = str(make_header(decode_header(message.headers["Subject"])))
    assert subject == "Tangerhütte: please confirm your subscription"
    assert message.headers["Message-ID"].endswith("@tangerhuette.localhost>")
    assert message.headers["Content-Language"] == "en"
    sender = str(make_header(decode_header(message.headers["From"])))
    assert sender == "Tangerhütte <noreply@localhost>"


def test_beat_queues_lost_emails_again_and_stale_ones_are_not_sent(
    client_a: Client, news_a: Municipality, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rathaus.platform.messaging.tasks import deliver_batch

    waiting = _subscribe(client_a, news_a, "neu@example.org")
    lost = _subscribe(client_a, news_a, "verloren@example.org")
    died = _subscribe(client_a, news_a, "abgebrochen@example.org")
    old = _subscribe(client_a, news_a, "alt@example.org")
    now = timezone.now()
    queued: list[list[int]] = []
    monkeypatch.setattr(deliver_batch, "apply_async", lambda args, **_: queued.append(args[0]))
    with tenant_context(news_a):
        OutboxMessage.objects.filter(pk=lost).update(next_attempt_at=now - timedelta(minutes=30))
        OutboxMessage.objects.filter(pk=died).update(
            state="sending", claimed_by="t", claimed_at=now - timedelta(hours=2)
        )
        OutboxMessage.objects.filter(pk=old).update(
            created_at=now - timedelta(days=4), next_attempt_at=now - timedelta(days=4)
        )

        result = messages_requeue()

    assert (result.requeued, result.unconfirmed) == (2, 1)
    assert queued == [[old, lost]]  # the longest overdue first
    send_opt_in_mails(news_a)
    states = {row.pk: (row.state, row.address) for row in opt_ins(news_a)}
    assert states[died] == ("unconfirmed", "")  # may have gone out: never again, address gone
    assert states[old] == ("skipped", "")  # its link would have run out: not sent
    assert states[lost] == ("sent", "")
    assert states[waiting] == ("sent", "")
    assert sorted(m.to[0] for m in mail.outbox) == ["neu@example.org", "verloren@example.org"]


@pytest.mark.worker
def test_the_worker_sends_the_email_once(
    live_towns: dict[str, Municipality],
    celery_worker: None,
    smtp: SmtpSink,
    committed_news: None,
) -> None:
    town = live_towns["a"]
    topic = make_topic(town, "Abfall")

    with tenant_context(town):  # committed at once: the task goes to the worker
        message = subscription_request(town=town, email="erika@example.org", topic_ids=[topic.pk])

    assert smtp.wait_for(1) == 1
    [received] = smtp.messages_to("erika@example.org")
    assert b"/news/confirm/" in received.body
    deadline = time.monotonic() + 30
    with tenant_context(town):
        while OutboxMessage.objects.get(pk=message.pk).address and time.monotonic() < deadline:
            time.sleep(0.1)
        assert OutboxMessage.objects.get(pk=message.pk).address == ""  # gone with the e-mail
    # The same task once more, as a redelivery would run it: nothing more goes out.
    deliver.apply(args=(message.pk,), headers={"_schema_name": town.schema_name}, throw=True)
    assert smtp.count() == 1
