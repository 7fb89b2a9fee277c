"""Fan-out benchmark: one news post to 10,000 subscribers through the real Celery worker.

    .venv/bin/python bench/news_fanout.py [--subscribers N]

Runs in a scratch database, Redis databases and a Celery queue of its own
(bench/_setup.py); needs no environment.

Starts an SMTP sink (aiosmtpd) on 127.0.0.1 with a free port in this process
and a Celery worker as a subprocess that sends to it, publishes a post in a
benchmark town, and times until every message has arrived. The post's e-mails
go through the platform's outbox (``rathaus.platform.messaging``): written with
the publishing in one ``INSERT ... SELECT``, sent in batches over one SMTP
connection each. Prints ``emails_per_s`` (goal: at least 500) and
``duplicates`` (must be 0). Side by side, the baseline: the same messages sent
one SMTP connection per message (``send_mail`` in a loop), on a sample, and
last the ratio against it.
"""

import argparse
import os
import subprocess
import sys
import time

from _setup import ROOT, bench_setup

bench_setup("news_fanout", timeout=900)

from django.conf import settings  # noqa: E402
from django.core.mail import EmailMessage, get_connection  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_tenants.utils import tenant_context  # noqa: E402

from rathaus.config.celery import app  # noqa: E402
from rathaus.modules.news.delivery import PostMailer  # noqa: E402
from rathaus.modules.news.models import Post, Subscriber, Topic  # noqa: E402
from rathaus.modules.news.selectors import post_stats  # noqa: E402
from rathaus.modules.news.services import post_create  # noqa: E402
from rathaus.platform.audit.services import Actor  # noqa: E402
from rathaus.platform.messaging.models import OutboxMessage  # noqa: E402
from rathaus.platform.messaging.sender import town_sender  # noqa: E402
from rathaus.tenants.models import Municipality  # noqa: E402
from rathaus.tenants.services import municipality_create  # noqa: E402
from tests.smtp_sink import SmtpSink  # noqa: E402

GOAL = 500.0


def prepare(count: int) -> tuple[Municipality, Topic]:
    call_command("migrate_schemas", interactive=False, verbosity=0)
    town = municipality_create(name="Benchstadt", slug="benchstadt", ags="15003000")
    with tenant_context(town):
        OutboxMessage.objects.all().delete()
        Post.objects.all().delete()
        Subscriber.objects.all().delete()
        Topic.objects.all().delete()
        topic = Topic.objects.create(name="Freibad", slug="freibad")
        now = timezone.now()
        subscribers = Subscriber.objects.bulk_create(
            [Subscriber(email=f"buerger{i}@example.org", confirmed_at=now) for i in range(count)],
            batch_size=2000,
        )
        Subscriber.topics.through.objects.bulk_create(
            [Subscriber.topics.through(subscriber=s, topic=topic) for s in subscribers],
            batch_size=5000,
        )
    return town, topic


def start_worker(sink: SmtpSink, concurrency: int) -> subprocess.Popen[bytes]:
    queue = str(app.conf.task_default_queue)
    env = {
        **os.environ,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
    }
    app.control.purge()
    worker = subprocess.Popen(  # noqa: S603 (our own interpreter and fixed arguments)
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "rathaus.config.celery",
            "worker",
            f"--concurrency={concurrency}",
            "--loglevel=warning",
            "-Q",
            queue,
            f"--hostname=bench-{queue}@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while not app.control.ping(timeout=0.5):
        if worker.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the Celery worker did not start")
    return worker


def baseline(town: Municipality, post: Post, sink: SmtpSink, sample: int) -> float:
    """One SMTP connection per message, as a plain ``send_mail`` loop would do."""
    with tenant_context(town):
        mailer = PostMailer(town=town, post=post)
        sender = town_sender(town=town)
        started = time.perf_counter()
        for i in range(sample):
            content = mailer.build(subscriber_id=10**9 + i)
            message = EmailMessage(
                subject=content.subject,
                body=content.body,
                from_email=sender,
                to=[f"b{i}@example.org"],
                headers={"Message-ID": f"<bench.{i}@{town.slug}>", **content.headers},
            )
            message.connection = get_connection(
                "django.core.mail.backends.smtp.EmailBackend", host=sink.host, port=sink.port
            )
            message.send()
        return sample / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--baseline-sample", type=int, default=200)
    args = parser.parse_args()

    town, topic = prepare(args.subscribers)
    sink = SmtpSink(keep_messages=False).start()
    worker = start_worker(sink, args.concurrency)
    try:
        with tenant_context(town):
            started = time.perf_counter()
            post = post_create(
                town=town,
                title="Freibad heute geschlossen",
                body="Wegen des Gewitters bleibt das Freibad heute geschlossen.",
                topics=[topic],
                publish_now=True,
                actor=Actor.system("bench"),
            )
            arrived = sink.wait_for(args.subscribers, timeout=600)
            elapsed = time.perf_counter() - started
            stats = post_stats(post=post)
        duplicates = sink.duplicates()
        rate = arrived / elapsed
        print(f"subscribers: {args.subscribers}")
        print(f"arrived: {arrived}")
        print(f"seconds: {elapsed:.2f}")
        batch_size = settings.MESSAGING_EMAIL_BATCH_SIZE
        print(f"worker_concurrency: {args.concurrency}, batch_size: {batch_size}")
        print(f"outbox_rows_sent: {stats.sent}")
        print(f"emails_per_s: {rate:.0f}")
        print(f"duplicates: {duplicates}")
        sink.reset()
        base = baseline(town, post, sink, args.baseline_sample)
        print(f"baseline_one_connection_per_email_per_s: {base:.0f}")
        print(f"ratio_vs_goal_{GOAL:.0f}: {rate / GOAL:.2f}")
        print(f"ratio_vs_baseline: {rate / base:.2f}")
        if arrived < args.subscribers or duplicates:
            sys.exit(1)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        sink.stop()


if __name__ == "__main__":
    main()
