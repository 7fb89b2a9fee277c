"""The broker is away when a citizen registers: the account is saved at once, and its
e-mail goes out once, later, when beat finds the message whose task was lost."""

import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import requests
from django.contrib.sessions.models import Session
from django.test import override_settings
from django_tenants.utils import tenant_context

from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import messages_requeue
from rathaus.tenants.models import Municipality
from tests.conftest import ROOT, _test_database_url
from tests.faults.conftest import OwnRedis
from tests.local_servers import free_port, local_server
from tests.smtp_sink import SmtpSink

pytestmark = [pytest.mark.e2e, pytest.mark.worker]

EMAIL = "erika.broker@example.org"
PASSWORD = "Lindenblüte-im-Mai-42"


@pytest.fixture
def server_with_own_broker(
    own_redis: OwnRedis,
    live_towns: dict[str, Municipality],
    django_db_blocker: pytest.FixtureRequest,
) -> Iterator[int]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "rathaus.config.settings.test",
        "DATABASE_URL": _test_database_url(),
        "TEST_CELERY_BROKER_URL": f"redis://127.0.0.1:{own_redis.port}/1",
    }
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    with local_server(command, port=port, name="the server", cwd=ROOT, env=env, **quiet):
        yield port
    with django_db_blocker.unblock(), tenant_context(live_towns["a"]):  # type: ignore[attr-defined]
        User.objects.filter(email=EMAIL).delete()
        Session.objects.all().delete()


def test_a_registration_commits_while_the_broker_is_away_and_mails_once_later(
    own_redis: OwnRedis,
    server_with_own_broker: int,
    live_towns: dict[str, Municipality],
    celery_worker: None,
    smtp_sink: SmtpSink,
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    smtp_sink.reset()
    url = f"http://127.0.0.1:{server_with_own_broker}/accounts/register/"
    headers = {"Host": "tangerhuette.localhost", "Referer": "http://tangerhuette.localhost/"}
    browser = requests.Session()
    browser.get(url, headers=headers, timeout=10)

    own_redis.stop()
    response = browser.post(
        url,
        headers=headers,
        data={
            "csrfmiddlewaretoken": browser.cookies.get("csrftoken", ""),
            "kind": "person",
            "first_name": "Erika",
            "last_name": "Mustermann",
            "email": EMAIL,
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        allow_redirects=False,
        timeout=30,
    )

    assert response.status_code == 302, response.text[:2000]
    assert response.elapsed.total_seconds() < 10  # publishing gives up quickly
    town = live_towns["a"]
    with django_db_blocker.unblock(), tenant_context(town):  # type: ignore[attr-defined]
        assert User.objects.filter(email=EMAIL).exists()
        waiting = OutboxMessage.objects.filter(address=EMAIL)
        assert waiting.count() == 1
        assert smtp_sink.wait_for(1, timeout=2) == 0  # nothing could be queued

        # Beat's tidy-up once the message counts as lost (here after a second), on the
        # broker of the test's worker.
        time.sleep(1.1)
        with override_settings(MESSAGING_LOST_AFTER=1):
            assert messages_requeue().requeued == 1

        assert smtp_sink.wait_for(1) == 1
        with override_settings(MESSAGING_LOST_AFTER=1):
            time.sleep(1.1)
            assert messages_requeue().requeued == 0  # sent: never queued again
        assert smtp_sink.wait_for(2, timeout=3) == 1
    assert len(smtp_sink.messages_to(EMAIL)) == 1
