"""A Celery worker is killed (SIGKILL) in the middle of sending a batch of e-mails.

The task is acknowledged late (``CELERY_TASK_ACKS_LATE``), so the broker hands it to
the next worker once its visibility timeout has passed; the outbox's claims let that
worker send what was left. Every e-mail arrives once: the one the dead worker had in
the relay's hands when it died is marked "unbestätigt" (it may have gone out), never
sent a second time.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django_tenants.utils import tenant_context
from kombu import Connection

from rathaus.config.celery import app
from rathaus.platform.identity.messages import EMAIL_CONFIRMATION
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import messages_requeue
from rathaus.platform.messaging.tasks import deliver_batch
from rathaus.tenants.models import Municipality
from tests.conftest import ROOT, _test_database_url
from tests.factories import UserFactory
from tests.faults.conftest import OwnRedis
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.e2e, pytest.mark.worker]

State = OutboxMessage.State
COUNT = 24
QUEUE = "rathaus-test-killed-worker"
VISIBILITY_SECONDS = 3
CLAIM_SECONDS = 2


@pytest.fixture
def slow_relay() -> Iterator[SmtpSink]:
    relay = SmtpSink(delay=0.25).start()  # 24 e-mails take six seconds
    try:
        yield relay
    finally:
        relay.stop()


def _worker(broker: str, relay: SmtpSink, name: str) -> "subprocess.Popen[bytes]":
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rathaus.config.settings.test",
        "DATABASE_URL": _test_database_url(),
        "TEST_CELERY_BROKER_URL": broker,
        "TEST_CELERY_QUEUE": QUEUE,
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": relay.host,
        "EMAIL_PORT": str(relay.port),
        # Short, so the test need not wait the production hour for the redelivery.
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_SECONDS),
        "MESSAGING_CLAIM_TIMEOUT": str(CLAIM_SECONDS),
        "MESSAGING_LOST_AFTER": str(CLAIM_SECONDS),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "rathaus.config.celery",
        "worker",
        "--pool=solo",
        "--loglevel=warning",
        "-Q",
        QUEUE,
        f"--hostname={name}@%h",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)


@pytest.fixture
def confirmations(
    live_towns: dict[str, Municipality], django_db_blocker: pytest.FixtureRequest
) -> Iterator[list[int]]:
    """COUNT new accounts of town A, each with its confirmation e-mail waiting (committed)."""
    town = live_towns["a"]
    with django_db_blocker.unblock(), tenant_context(town):  # type: ignore[attr-defined]
        users: list[User] = [
            UserFactory(email=f"killed-worker-{n}@example.org", email_verified_at=None)  # type: ignore[misc]
            for n in range(COUNT)
        ]
        # Rows as the outbox writes them; queued below on this test's own broker.
        ids = [
            OutboxMessage.objects.create(
                key=f"tests.killed-worker:{user.pk}",
                channel="email",
                kind=EMAIL_CONFIRMATION,
                recipient=user,
                address=user.email,
                context={"user": user.pk},
            ).pk
            for user in users
        ]
    try:
        yield ids
    finally:
        with django_db_blocker.unblock(), tenant_context(town):  # type: ignore[attr-defined]
            OutboxMessage.objects.filter(pk__in=ids).delete()
            User.objects.filter(email__startswith="killed-worker-").delete()


def _wait(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def test_a_worker_killed_mid_batch_leaves_the_rest_to_the_next_and_nothing_twice(
    own_redis: OwnRedis,
    slow_relay: SmtpSink,
    confirmations: list[int],
    live_towns: dict[str, Municipality],
    django_db_blocker: pytest.FixtureRequest,
    settings: Any,
) -> None:
    # This process plays beat, with the workers' settings.
    settings.MESSAGING_CLAIM_TIMEOUT = settings.MESSAGING_LOST_AFTER = CLAIM_SECONDS
    broker = f"redis://127.0.0.1:{own_redis.port}/0"
    first = _worker(broker, slow_relay, "first")
    second = None
    try:
        with tenant_context(live_towns["a"]), Connection(broker) as connection:
            # send_task takes the connection (apply_async's stubs do not say so).
            app.send_task(
                deliver_batch.name, args=(confirmations,), queue=QUEUE, connection=connection
            )
        _wait(lambda: slow_relay.count() >= COUNT // 3, 60, "the first e-mails")

        os.kill(first.pid, signal.SIGKILL)  # no clean-up, no acknowledgement
        first.wait(timeout=10)
        arrived_before = slow_relay.count()
        assert arrived_before < COUNT, "the batch was done before the worker died"

        second = _worker(broker, slow_relay, "second")
        _wait(lambda: slow_relay.count() >= COUNT - 1, 90, "the rest of the batch")
        with django_db_blocker.unblock(), tenant_context(live_towns["a"]):  # type: ignore[attr-defined]
            time.sleep(CLAIM_SECONDS + 0.5)
            messages_requeue()  # beat's job: the dead run's hand-over becomes unconfirmed
            states = list(
                OutboxMessage.objects.filter(pk__in=confirmations).values_list("state", flat=True)
            )
    finally:
        for worker in (first, second):
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)

    assert slow_relay.duplicates() == 0
    assert slow_relay.count() in (COUNT - 1, COUNT)
    assert states.count(State.SENT) >= COUNT - 1
    assert set(states) <= {State.SENT, State.UNCONFIRMED}
    assert states.count(State.UNCONFIRMED) <= 1
    assert app.conf.task_acks_late is True
