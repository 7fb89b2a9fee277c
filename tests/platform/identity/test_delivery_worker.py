"""Registration's e-mail and SMS go out through the real Celery worker, after the commit."""

import json
import re
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django_tenants.utils import tenant_context

from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.conftest import host_client
from tests.smtp_sink import SmtpSink

pytestmark = pytest.mark.worker

EMAIL = "erika.worker@example.org"
PASSWORD = "Lindenblüte-im-Mai-42"


@pytest.fixture
def committed(
    live_towns: dict[str, Municipality], django_db_blocker: pytest.FixtureRequest
) -> Iterator[Municipality]:
    """Town A, with what the test writes committed (the worker must see it) and removed after."""
    town = live_towns["a"]
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield town
        with tenant_context(town):
            User.objects.filter(email=EMAIL).delete()
            Session.objects.all().delete()


def _sms_code_to(outbox: Path, number: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = outbox.read_text(encoding="utf-8").splitlines() if outbox.exists() else []
        for line in reversed(lines):
            message = json.loads(line)
            if message["to"] == number:
                match = re.search(r"\b(\d{6})\b", message["body"])
                assert match
                return match.group(1)
        time.sleep(0.1)
    raise AssertionError(f"no SMS to {number}")


def test_registration_sends_the_email_and_the_sms_through_the_worker(
    committed: Municipality, celery_worker: None, smtp_sink: SmtpSink, worker_sms: Path
) -> None:
    smtp_sink.reset()
    browser = host_client("tangerhuette.localhost")

    response = browser.post(
        "/accounts/register/",
        {
            "kind": "person",
            "first_name": "Erika",
            "last_name": "Mustermann",
            "email": EMAIL,
            "phone": "0151 87654321",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert response.status_code == 302
    code = _sms_code_to(worker_sms, "+4915187654321")
    assert browser.post("/accounts/confirm-phone/", {"code": code}).status_code == 302
    assert smtp_sink.wait_for(1) == 1
    (received,) = smtp_sink.messages_to(EMAIL)
    parsed = message_from_bytes(received.body, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    body = parsed.get_body(preferencelist=("plain",))
    assert body is not None
    link = re.search(
        r"http://tangerhuette\.localhost(/accounts/confirm-email/\?token=\S+)", body.get_content()
    )
    assert link
    assert browser.get(link.group(1)).status_code == 302
    with tenant_context(committed):
        user = User.objects.get(email=EMAIL)
        assert user.email_verified_at is not None
        assert user.phone_verified_at is not None
