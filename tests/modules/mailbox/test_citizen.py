"""The citizen's mailbox: messages newest first, unread marked, reading, documents, search."""

import re

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Message
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.html import text_of
from tests.platform.messaging.helpers import deliver_waiting

from .conftest import NOTICE_PDF, citizen, log_in, provide


def _document_link(page: str) -> str:
    found = re.search(r'href="(http://[^"]+/files/[^"]+/)"', page)
    assert found, "no document link on the page"
    return found.group(1)


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_messages_are_listed_newest_first_with_the_unread_marked(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    provide(mailbox_a, erika, subject="Grundsteuerbescheid")
    provide(mailbox_a, erika, subject="Hundesteuerbescheid")
    log_in(client_a, erika.email)

    page = text_of(client_a.get("/mailbox/").content.decode())

    assert page.index("Hundesteuerbescheid") < page.index("Grundsteuerbescheid")
    assert page.count("Ungelesen") == 2
    assert "Steueramt" in page
    assert "1 Dokument" in page


def test_opening_a_message_records_the_time_once_and_marks_it_read(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    message = provide(mailbox_a, erika)
    log_in(client_a, erika.email)

    page = text_of(client_a.get(f"/mailbox/{message.public_id}/").content.decode())

    assert "Sehr geehrte Frau Mustermann" in page
    assert "HSt-2026-0042" in page
    assert "bescheid.pdf" in page
    with tenant_context(mailbox_a):
        first = Message.objects.get(pk=message.pk).first_opened_at
    assert first is not None
    client_a.get(f"/mailbox/{message.public_id}/")
    with tenant_context(mailbox_a):
        assert Message.objects.get(pk=message.pk).first_opened_at == first
    assert "Ungelesen" not in text_of(client_a.get("/mailbox/").content.decode())


def test_the_document_downloads_for_its_owner_only(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    message = provide(mailbox_a, erika)
    log_in(client_a, erika.email)
    link = _document_link(client_a.get(f"/mailbox/{message.public_id}/").content.decode())

    download = client_a.get(_path(link))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == NOTICE_PDF  # type: ignore[attr-defined]
    assert "bescheid.pdf" in download["Content-Disposition"]

    other = citizen(mailbox_a, email="nachbar@example.org")
    neighbour = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    log_in(neighbour, other.email)
    assert neighbour.get(_path(link)).status_code == 403
    assert neighbour.get(f"/mailbox/{message.public_id}/").status_code == 404
    assert Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]).get(_path(link)).status_code == 302


def test_a_link_or_message_of_one_town_never_works_on_another(
    client_a: Client, client_b: Client, mailbox_a: Municipality, mailbox_b: Municipality
) -> None:
    erika_a = citizen(mailbox_a)
    erika_b = citizen(mailbox_b)  # the same address, the same password, in the other town
    message = provide(mailbox_a, erika_a)
    log_in(client_a, erika_a.email)
    link = _document_link(client_a.get(f"/mailbox/{message.public_id}/").content.decode())
    log_in(client_b, erika_b.email)

    assert client_b.get(_path(link)).status_code == 404
    assert client_b.get(f"/mailbox/{message.public_id}/").status_code == 404
    assert "Hundesteuerbescheid" not in client_b.get("/mailbox/").content.decode()


def test_search_finds_by_subject_sender_reference_and_document_name(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    provide(mailbox_a, erika, subject="Hundesteuerbescheid")
    with tenant_context(mailbox_a):
        from rathaus.modules.mailbox.services import message_provide

        message_provide(
            owner=erika,
            source_key="test:info",
            kind=Message.Kind.INFORMATION,
            subject="Straßenreinigung im März",
            sender_office="Bauamt",
        )
    log_in(client_a, erika.email)

    def found(query: str) -> str:
        return text_of(client_a.get("/mailbox/", {"q": query}).content.decode())

    assert "Straßenreinigung" in found("bauamt")
    assert "Hundesteuerbescheid" not in found("bauamt")
    assert "Hundesteuerbescheid" in found("HSt-2026")
    assert "Hundesteuerbescheid" in found("bescheid.pdf")
    assert "Keine Nachricht passt" in found("Baugenehmigung")


def test_the_notification_says_something_arrived_but_never_what(
    mailbox_a: Municipality, erika: User
) -> None:
    provide(mailbox_a, erika)

    deliver_waiting(mailbox_a, kinds=["mailbox.notification"])

    assert [m.to for m in mail.outbox] == [["erika@example.org"]]
    sent = mail.outbox[0]
    assert "Neue Nachricht in Ihrem Postfach" in sent.subject
    assert "/mailbox/" in sent.body
    for secret in ("Hundesteuer", "Steueramt", "HSt-2026", "bescheid.pdf", "Mustermann"):
        assert secret not in f"{sent.subject} {sent.body}"
    assert not sent.attachments


def test_consent_is_recorded_with_its_time_and_can_be_withdrawn(
    client_a: Client, mailbox_a: Municipality
) -> None:
    person = citizen(mailbox_a, consent=False)
    log_in(client_a, person.email)
    assert "Bescheide per Brief" in text_of(client_a.get("/mailbox/").content.decode())

    assert client_a.post("/mailbox/consent/", {"consented": "yes"}).status_code == 302
    page = text_of(client_a.get("/mailbox/consent/").content.decode())
    assert "Sie haben am" in page
    assert "zugestimmt" in page
    assert "Bescheide per Brief" not in text_of(client_a.get("/mailbox/").content.decode())

    client_a.post("/mailbox/consent/", {"consented": "no"})
    assert "Bescheide per Brief" in text_of(client_a.get("/mailbox/").content.decode())
    with tenant_context(mailbox_a):
        from rathaus.modules.mailbox.models import DeliveryConsent

        assert list(
            DeliveryConsent.objects.filter(account=person)
            .order_by("recorded_at", "pk")
            .values_list("consented", flat=True)
        ) == [True, False]


@pytest.mark.parametrize("path", ["/mailbox/", "/mailbox/consent/"])
def test_the_mailbox_wants_a_login(client_a: Client, mailbox_a: Municipality, path: str) -> None:
    response = client_a.get(path)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_associations_mailbox_is_shared_by_its_members(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    from rathaus.modules.mailbox.services import consent_record
    from rathaus.platform.identity.models import AccountKind, MemberRole, Membership
    from tests.factories import UserFactory

    with tenant_context(mailbox_a):
        club = UserFactory.create(
            email="vorstand@heimatverein.example",
            kind=AccountKind.ASSOCIATION,
            organisation_name="Heimatverein Tangerhütte",
        )
        consent_record(account=club, consented=True)
        Membership.objects.create(organisation=club, member=erika, role=MemberRole.MEMBER)
    notice = provide(mailbox_a, club, subject="Zuwendungsbescheid Dorffest")
    max_ = citizen(mailbox_a, email="max@example.org")

    log_in(client_a, erika.email)
    listing = text_of(client_a.get("/mailbox/").content.decode())
    page = client_a.get(f"/mailbox/{notice.public_id}/").content.decode()
    download = client_a.get(_path(_document_link(page)))
    api = client_a.get("/api/v1/mailbox/messages/").json()["results"]

    assert "Zuwendungsbescheid Dorffest" in listing
    assert "für Heimatverein Tangerhütte" in listing
    assert download.status_code == 200
    assert api[0]["addressee"] == "Heimatverein Tangerhütte"
    with tenant_context(mailbox_a):
        assert Message.objects.get(pk=notice.pk).first_opened_at is not None
    # Someone who is no member sees nothing of it.
    client_a.post("/accounts/logout/")
    log_in(client_a, max_.email)
    assert "Zuwendungsbescheid" not in client_a.get("/mailbox/").content.decode()
    assert client_a.get(f"/mailbox/{notice.public_id}/").status_code == 404


def test_who_chose_it_also_hears_by_sms_that_something_arrived_but_never_what(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    from django.utils import timezone

    from rathaus.platform.messaging.contrib.sms import backends as sms

    log_in(client_a, erika.email)
    refused = client_a.post("/mailbox/notifications/", {"by_sms": "on"}, follow=True)
    assert "Bitte bestätigen Sie zuerst Ihre Mobilnummer." in text_of(refused.content.decode())
    page = text_of(client_a.get("/mailbox/consent/").content.decode())
    assert "Mobilnummer hinterlegen" in page
    with tenant_context(mailbox_a):
        User.objects.filter(pk=erika.pk).update(
            phone="+4915112345678", phone_verified_at=timezone.now()
        )
        erika.refresh_from_db()
    client_a.post("/mailbox/notifications/", {"by_sms": "on"})
    sms.outbox.clear()

    provide(mailbox_a, erika)
    deliver_waiting(mailbox_a, kinds=["mailbox.notification-sms", "mailbox.notification"])

    [text] = [message for message in sms.outbox if message.to == "+4915112345678"]
    assert "Neue Nachricht in Ihrem Postfach bei Tangerhütte" in text.body
    assert "/mailbox/" in text.body
    for secret in ("Hundesteuer", "Steueramt", "HSt-2026", "Mustermann"):
        assert secret not in text.body
    assert len(mail.outbox) == 1  # the e-mail goes as well

    client_a.post("/mailbox/notifications/", {})  # unticked: e-mail only again
    sms.outbox.clear()
    provide(mailbox_a, erika, subject="Grundsteuerbescheid")
    deliver_waiting(mailbox_a, kinds=["mailbox.notification-sms"])
    assert sms.outbox == []
