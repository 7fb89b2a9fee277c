"""Retention: a message is kept for years per kind after its year's end, then deleted
nightly with its files and audited; a legal hold keeps it."""

import datetime as dt

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Document, Message
from rathaus.modules.mailbox.retention import kept_until, messages_expire
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.identity.models import User
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.models import Municipality
from tests.html import text_of

from .conftest import CLERK, make_staff, provide


def _provided_in(town: Municipality, message: Message, year: int) -> Message:
    with tenant_context(town):
        moment = dt.datetime(year, 6, 1, 10, tzinfo=dt.UTC)
        Message.objects.filter(pk=message.pk).update(provided_at=moment)
        return Message.objects.get(pk=message.pk)


def test_a_notice_is_kept_ten_years_after_the_end_of_its_year(
    mailbox_a: Municipality, erika: User
) -> None:
    notice = _provided_in(mailbox_a, provide(mailbox_a, erika), 2026)

    assert kept_until(notice) == dt.date(2036, 12, 31)
    with tenant_context(mailbox_a):
        assert messages_expire(town=mailbox_a, today=dt.date(2036, 12, 31)) == []
        assert Message.objects.filter(pk=notice.pk).exists()


def test_an_expired_notice_is_deleted_with_its_files_and_audited_once(
    mailbox_a: Municipality, erika: User, django_capture_on_commit_callbacks: object
) -> None:
    notice = _provided_in(mailbox_a, provide(mailbox_a, erika), 2026)
    with tenant_context(mailbox_a):
        [stored] = Document.objects.filter(message=notice).values_list("stored_name", flat=True)
        assert private_storage().exists(stored)

        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            deleted = messages_expire(town=mailbox_a, today=dt.date(2037, 1, 1))

        assert deleted == [str(notice.public_id)]
        assert not Message.objects.filter(pk=notice.pk).exists()
        assert not private_storage().exists(stored)
        [entry] = AuditEntry.objects.filter(action="mailbox.message.expired")
        assert (entry.before or {})["subject"] == "Hundesteuerbescheid 2026"
        assert messages_expire(town=mailbox_a, today=dt.date(2037, 1, 2)) == []


def test_a_legal_hold_keeps_an_expired_notice_until_it_is_lifted(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    notice = _provided_in(mailbox_a, provide(mailbox_a, erika), 2020)
    make_staff(mailbox_a, client_a, CLERK, email="steuer@example.org")
    page = f"/staff/mailbox/messages/{notice.public_id}/"
    hold = f"{page}hold/"

    refused = client_a.post(hold, {"reason": "  "}, follow=True)
    assert "Bitte nennen Sie den Grund der Löschsperre." in text_of(refused.content.decode())
    client_a.post(hold, {"reason": "Klage beim VG Magdeburg, 1 A 23/26"})
    shown = text_of(client_a.get(page).content.decode())
    assert "Aufbewahrt bis 31.12.2030" in shown
    assert "Klage beim VG Magdeburg" in shown
    with tenant_context(mailbox_a):
        assert messages_expire(town=mailbox_a, today=dt.date(2037, 1, 1)) == []
        assert Message.objects.filter(pk=notice.pk).exists()

    client_a.post(hold, {"lift": "1"})
    with tenant_context(mailbox_a):
        assert messages_expire(town=mailbox_a, today=dt.date(2037, 1, 1)) == [str(notice.public_id)]
        actions = list(
            AuditEntry.objects.filter(target=str(notice.public_id))
            .order_by("pk")
            .values_list("action", flat=True)
        )
    assert actions[-3:] == [
        "mailbox.message.hold",
        "mailbox.message.hold-lifted",
        "mailbox.message.expired",
    ]


def test_another_towns_clerk_cannot_hold_a_message(
    client_b: Client, mailbox_a: Municipality, mailbox_b: Municipality, erika: User
) -> None:
    notice = provide(mailbox_a, erika)
    make_staff(mailbox_b, client_b, CLERK, email="steuer@example.org")

    answer = client_b.post(f"/staff/mailbox/messages/{notice.public_id}/hold/", {"reason": "x"})

    assert answer.status_code == 404
