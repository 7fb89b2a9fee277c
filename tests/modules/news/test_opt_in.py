"""The double opt-in e-mail leaves through a task after the commit, once, however often it runs."""

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

from rathaus.modules.news.delivery import DeliveryInterrupted
from rathaus.modules.news.models import OptInMail, Topic
from rathaus.modules.news.opt_in import opt_in_mail_send, opt_in_mails_tidy
from rathaus.modules.news.services import subscription_request
from rathaus.modules.news.tasks import send_opt_in
from rathaus.tenants.models import Municipality
from tests.modules.news.conftest import make_topic, send_opt_in_mails
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
        return OptInMail.objects.get(email=email).pk


def test_the_email_is_queued_for_when_the_request_is_committed(
    client_a: Client, news_a: Municipality, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        _subscribe(client_a, news_a)

    assert len(callbacks) == 1  # the task, sent once the request's row is committed
    assert not mail.outbox  # the request itself sends nothing


def test_a_task_run_twice_sends_one_email(client_a: Client, news_a: Municipality) -> None:
    mail_id = _subscribe(client_a, news_a)

    with tenant_context(news_a):
        first = opt_in_mail_send(town=news_a, mail_id=mail_id)
        again = opt_in_mail_send(town=news_a, mail_id=mail_id)

    assert (first, again) == (True, False)
    assert len(mail.outbox) == 1
    assert "Bitte bestätigen Sie Ihr Abonnement" in mail.outbox[0].subject


def test_a_task_that_died_while_sending_is_not_sent_again(
    client_a: Client, news_a: Municipality
) -> None:
    mail_id = _subscribe(client_a, news_a)
    with tenant_context(news_a):  # claimed, then the worker died: it may have gone out
        OptInMail.objects.filter(pk=mail_id).update(claimed_at=timezone.now())

        assert opt_in_mail_send(town=news_a, mail_id=mail_id) is False

    assert not mail.outbox


def test_an_unreachable_mail_server_keeps_the_email_for_the_retry(
    client_a: Client, news_a: Municipality, settings: Any, smtp_sink: SmtpSink
) -> None:
    mail_id = _subscribe(client_a, news_a)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2

    with tenant_context(news_a), pytest.raises(DeliveryInterrupted):
        opt_in_mail_send(town=news_a, mail_id=mail_id)

    with tenant_context(news_a):
        assert OptInMail.objects.get(pk=mail_id).claimed_at is None
    smtp_sink.reset()
    settings.EMAIL_HOST, settings.EMAIL_PORT = smtp_sink.host, smtp_sink.port
    with tenant_context(news_a):
        assert opt_in_mail_send(town=news_a, mail_id=mail_id) is True
    assert len(smtp_sink.messages_to("erika@example.org")) == 1
    smtp_sink.reset()


def test_an_address_the_mail_server_refuses_is_dropped(
    client_a: Client, news_a: Municipality, smtp: SmtpSink
) -> None:
    mail_id = _subscribe(client_a, news_a, email=f"niemand{REFUSED_DOMAIN}")

    with tenant_context(news_a):
        assert opt_in_mail_send(town=news_a, mail_id=mail_id) is False
        assert not OptInMail.objects.exists()
    assert smtp.count() == 0


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


def test_beat_queues_lost_emails_again_and_drops_stale_ones(
    client_a: Client, news_a: Municipality
) -> None:
    waiting = _subscribe(client_a, news_a, "neu@example.org")
    lost = _subscribe(client_a, news_a, "verloren@example.org")
    died = _subscribe(client_a, news_a, "abgebrochen@example.org")
    old = _subscribe(client_a, news_a, "alt@example.org")
    now = timezone.now()
    with tenant_context(news_a):
        OptInMail.objects.filter(pk=lost).update(created_at=now - timedelta(minutes=30))
        OptInMail.objects.filter(pk=died).update(claimed_at=now - timedelta(hours=2))
        OptInMail.objects.filter(pk=old).update(created_at=now - timedelta(days=4))

        result = opt_in_mails_tidy()

        assert result.requeued == [lost]
        assert result.dropped == 2
        assert set(OptInMail.objects.values_list("pk", flat=True)) == {waiting, lost}


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
        subscription_request(town=town, email="erika@example.org", topic_ids=[topic.pk])

    assert smtp.wait_for(1) == 1
    [message] = smtp.messages_to("erika@example.org")
    assert b"/news/confirm/" in message.body
    mail_id = int(str(message.headers["Message-ID"]).split(".")[2])
    deadline = time.monotonic() + 30
    with tenant_context(town):
        while OptInMail.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not OptInMail.objects.exists()  # the address is gone with the e-mail
    # The same task once more, as a redelivery would run it: nothing more goes out.
    send_opt_in.apply(args=(mail_id,), headers={"_schema_name": town.schema_name}, throw=True)
    assert smtp.count() == 1
