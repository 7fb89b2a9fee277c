"""Registration, confirmation, password reset, lockout, second factor, export and deletion."""

import json
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import tenant_context

from rathaus.platform.identity.models import Membership, PhoneChallenge, User
from rathaus.platform.messaging.contrib.sms import backends as sms
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.tasks import deliver
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.platform.identity.helpers import send_queued

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

NEW_PASSWORD = "Lindenblüte-im-Mai-42"
ERIKA = {"username": "erika@example.org", "password": PASSWORD}


def _register(client: Client, **extra: str) -> "_MonkeyPatchedWSGIResponse":
    sms.outbox.clear()
    data = {
        "kind": "person",
        "first_name": "Erika",
        "last_name": "Mustermann",
        "email": "erika@example.org",
        "phone": "0151 12345678",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **extra,
    }
    return client.post("/accounts/register/", data)


def _sms_code() -> str:
    match = re.search(r"\b(\d{6})\b", sms.outbox[-1].body)
    assert match
    return match.group(1)


def test_registration_confirms_email_by_link_and_mobile_by_sms(
    client_a: Client, town_a: Municipality
) -> None:
    response = _register(client_a)
    send_queued(town_a)

    assert response.status_code == 302
    assert sms.outbox[-1].to == "+4915112345678"
    link = re.search(
        r"http://tangerhuette\.localhost/accounts/confirm-email/\?token=\S+",
        str(mail.outbox[-1].body),
    )
    assert link
    assert client_a.post("/accounts/confirm-phone/", {"code": _sms_code()}).status_code == 302
    assert client_a.get(link.group(0)).status_code == 302
    page = client_a.get("/accounts/").content.decode()
    assert "noch nicht bestätigt" not in page
    with tenant_context(town_a):
        user = User.objects.get(email="erika@example.org")
        assert user.email_verified_at
        assert user.phone_verified_at


def test_a_wrong_sms_code_does_not_confirm_and_five_kill_the_code(
    client_a: Client, town_a: Municipality
) -> None:
    _register(client_a)
    send_queued(town_a)
    code = _sms_code()

    for _ in range(5):
        wrong = client_a.post(
            "/accounts/confirm-phone/", {"code": "000000" if code != "000000" else "111111"}
        )
        assert "stimmt nicht" in wrong.content.decode()
    client_a.post("/accounts/confirm-phone/", {"code": code})

    with tenant_context(town_a):
        assert User.objects.get(email="erika@example.org").phone_verified_at is None


def test_a_tampered_email_link_is_refused(client_a: Client, town_a: Municipality) -> None:
    _register(client_a)
    send_queued(town_a)
    link = re.search(r"token=(\S+)", str(mail.outbox[-1].body))
    assert link

    response = client_a.get(f"/accounts/confirm-email/?token={link.group(1)}x")

    assert response.status_code == 400


def test_an_association_needs_its_name_and_gets_members(
    client_a: Client, town_a: Municipality
) -> None:
    assert "Organisation" in _register(client_a, kind="association").content.decode()

    _register(client_a, kind="association", organisation_name="SV Tangerhütte e. V.")
    with tenant_context(town_a):
        UserFactory(email="kassenwart@example.org")
    client_a.post("/accounts/members/", {"email": "kassenwart@example.org", "role": "admin"})

    page = client_a.get("/accounts/members/").content.decode()
    assert "kassenwart@example.org" in page
    with tenant_context(town_a):
        assert Membership.objects.get().organisation.organisation_name == "SV Tangerhütte e. V."


def test_password_reset_by_email_link(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")

    client_a.post("/accounts/password-reset/", {"email": "erika@example.org"})
    client_a.post("/accounts/password-reset/", {"email": "niemand@example.org"})
    assert not mail.outbox  # the request itself sends nothing
    send_queued(town_a)

    [sent] = mail.outbox  # one e-mail per request, none for an unknown address
    assert sent.to == ["erika@example.org"]
    assert sent.from_email == "Tangerhütte <noreply@localhost>"
    assert sent.subject == "Neues Passwort für das digitale Rathaus"
    link = re.search(
        r"http://tangerhuette\.localhost(/accounts/password-reset/\S+/)", str(sent.body)
    )
    assert link
    form = client_a.get(link.group(1), follow=True)
    client_a.post(
        form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    response = client_a.post(
        "/accounts/login/", {"username": "erika@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_guessing_locks_the_account_in_its_own_town_only(
    client_a: Client, client_b: Client, town_a: Municipality, town_b: Municipality
) -> None:
    for town in (town_a, town_b):
        with tenant_context(town):
            UserFactory(email="erika@example.org")
    for _ in range(5):
        client_a.post("/accounts/login/", {"username": "erika@example.org", "password": "falsch"})

    locked = client_a.post("/accounts/login/", ERIKA)
    other_town = client_b.post("/accounts/login/", ERIKA)

    assert locked.status_code == 429
    assert "Vorübergehend gesperrt" in locked.content.decode()
    assert other_town.status_code == 302


def test_totp_second_factor_is_asked_at_login(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        user = UserFactory.create(email="erika@example.org")
    client_a.post("/accounts/login/", ERIKA)
    client_a.get("/accounts/two-factor/")
    with tenant_context(town_a):
        device = TOTPDevice.objects.get(user=user)
    client_a.post("/accounts/two-factor/", {"code": f"{totp(device.bin_key):06d}"})
    client_a.post("/accounts/logout/")

    first = client_a.post("/accounts/login/", ERIKA)
    assert first["Location"].startswith("/accounts/login/code/")
    assert "_auth_user_id" not in client_a.session
    assert client_a.post("/accounts/login/code/", {"code": "000000"}).status_code == 200
    with tenant_context(town_a):
        device.refresh_from_db()
        # The code used at set-up may not be reused in the same 30 s, and the wrong
        # code above throttles the device for a second: a person would just wait.
        device.last_t = -1
        device.throttle_reset(commit=False)
        device.save()
    done = client_a.post("/accounts/login/code/", {"code": f"{totp(device.bin_key):06d}"})

    assert done.status_code == 302
    assert "_auth_user_id" in client_a.session


@pytest.mark.parametrize(
    ("next_url", "lands_on"),
    [("/accounts/members/", "/accounts/members/"), ("https://evil.example/", "/")],
)
def test_after_the_second_factor_only_a_next_address_on_this_site_is_followed(
    client_a: Client, town_a: Municipality, next_url: str, lands_on: str
) -> None:
    with tenant_context(town_a):
        user = UserFactory.create(email="erika@example.org")
        device = TOTPDevice.objects.create(user=user, name="App", confirmed=True)

    first = client_a.post(f"/accounts/login/?next={quote(next_url)}", ERIKA)
    done = client_a.post(first["Location"], {"code": f"{totp(device.bin_key):06d}"})

    assert done.status_code == 302
    assert done["Location"] == lands_on


def test_export_holds_all_data_and_deletion_removes_it(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org", phone="+4915112345678", city="Tangerhütte")
    client_a.post("/accounts/login/", ERIKA)

    export = client_a.get("/accounts/export/")
    data = json.loads(export.content)
    assert "attachment" in export["Content-Disposition"]
    assert data["account"]["email"] == "erika@example.org"
    assert data["account"]["phone"] == "+4915112345678"
    assert data["account"]["city"] == "Tangerhütte"
    assert data["state_account_links"] == []

    assert (
        client_a.post("/accounts/delete/", {"password": "falsch", "confirm": "on"}).status_code
        == 200
    )
    gone = client_a.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})
    assert "gelöscht" in gone.content.decode()
    with tenant_context(town_a):
        assert not User.objects.filter(email="erika@example.org").exists()


def test_an_sms_provider_that_is_down_does_not_break_registration(
    client_a: Client, town_a: Municipality, settings: Any
) -> None:
    # A real refused connection: nothing listens on port 9.
    settings.SMS_BACKEND = "rathaus.platform.messaging.contrib.sms.backends.HttpSmsBackend"
    settings.SMS_PROVIDER_URL = "http://127.0.0.1:9/sms"

    response = _register(client_a)

    assert response.status_code == 302
    with tenant_context(town_a):
        assert User.objects.filter(email="erika@example.org").exists()
    assert response["Location"] == "/accounts/confirm-phone/"  # where a new code can be asked for
    result = send_queued(town_a)
    assert (result.sent, result.postponed) == (1, 1)  # the e-mail went, the SMS waits
    assert result.retry_in == 30  # the task tries again after the back-off
    with tenant_context(town_a):
        waiting = OutboxMessage.objects.get(channel="sms")
        assert (waiting.state, waiting.attempts) == ("pending", 1)
        assert waiting.next_attempt_at > timezone.now()
        assert "nicht erreichbar" in waiting.error
        # A minute later the person asks for a new code; the waiting one is void now.
        PhoneChallenge.objects.update(created_at=timezone.now() - timedelta(minutes=2))
    assert (
        "neuen Code geschickt"
        in client_a.post("/accounts/confirm-phone/resend/", follow=True).content.decode()
    )

    settings.SMS_BACKEND = "rathaus.platform.messaging.contrib.sms.backends.MemorySmsBackend"
    with tenant_context(town_a):  # the back-off is over
        OutboxMessage.objects.filter(pk=waiting.pk).update(next_attempt_at=timezone.now())
    send_queued(town_a)  # the provider is back

    assert len(sms.outbox) == 1  # only the newest code goes out
    with tenant_context(town_a):
        assert OutboxMessage.objects.get(pk=waiting.pk).state == "skipped"
    assert client_a.post("/accounts/confirm-phone/", {"code": _sms_code()}).status_code == 302


def test_a_new_code_can_be_asked_for_and_only_the_newest_counts(
    client_a: Client, town_a: Municipality
) -> None:
    _register(client_a)
    send_queued(town_a)
    first = _sms_code()
    early = client_a.post("/accounts/confirm-phone/resend/", follow=True)
    assert "Bitte warten Sie eine Minute" in early.content.decode()
    with tenant_context(town_a):
        PhoneChallenge.objects.update(created_at=timezone.now() - timedelta(minutes=2))

    again = client_a.post("/accounts/confirm-phone/resend/", follow=True)
    send_queued(town_a)

    assert "neuen Code geschickt" in again.content.decode()
    second = _sms_code()
    if first != second:
        wrong = client_a.post("/accounts/confirm-phone/", {"code": first})
        assert "stimmt nicht" in wrong.content.decode()
    assert client_a.post("/accounts/confirm-phone/", {"code": second}).status_code == 302


def test_a_retried_task_sends_no_second_email_or_sms(
    client_a: Client, town_a: Municipality
) -> None:
    _register(client_a)
    send_queued(town_a)
    with tenant_context(town_a):
        for message in OutboxMessage.objects.all():
            assert message.state == "sent"
            assert deliver(message.pk)["sent"] == 0  # the task once more, as a redelivery

    assert len(mail.outbox) == 1
    assert len(sms.outbox) == 1
    assert mail.outbox[0].from_email == "Tangerhütte <noreply@localhost>"
    assert sms.outbox[0].sender == "Tangerhuett"  # the town's name as the SMS sender


def test_the_email_and_the_sms_speak_the_language_of_the_registration_page(
    client_a: Client, town_a: Municipality
) -> None:
    sms.outbox.clear()
    client_a.post(
        "/accounts/register/",
        {
            "kind": "person",
            "first_name": "Erika",
            "last_name": "Mustermann",
            "email": "erika@example.org",
            "phone": "0151 12345678",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    send_queued(town_a)

    assert "confirm" in str(mail.outbox[-1].subject).lower()
    assert "Bestätigungscode" not in sms.outbox[-1].body
