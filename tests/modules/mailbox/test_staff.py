"""Staff send a message with PDFs to a person, see the messages sent and each one's proof."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Message
from rathaus.modules.mailbox.proof import appeal_deadline, delivery_judge
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.identity.models import User
from rathaus.tenants.models import FederalState, Municipality
from tests.html import text_of

from .conftest import CLERK, NOTICE_PDF, citizen, make_staff

ST, NI = FederalState.SACHSEN_ANHALT, FederalState.NIEDERSACHSEN


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T10:00:00+01:00")


def _send(client: Client, **changes: object) -> object:
    data: dict[str, object] = {
        "recipient": "erika@example.org",
        "kind": "notice",
        "sender_office": "Steueramt",
        "subject": "Hundesteuerbescheid 2026",
        "reference": "HSt-2026-0042",
        "body": "Anbei Ihr Bescheid.",
        "documents": [
            SimpleUploadedFile("bescheid.pdf", NOTICE_PDF, "application/pdf"),
            SimpleUploadedFile("anlage.pdf", NOTICE_PDF + b"2", "application/pdf"),
        ],
        "send_key": "form-1",
    }
    data.update(changes)
    return client.post("/staff/mailbox/send/", data)


def test_a_clerk_sends_a_notice_with_pdfs_and_sees_its_proof(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    make_staff(mailbox_a, client_a, CLERK, email="steuer@example.org")

    response = _send(client_a)

    assert response.status_code == 302  # type: ignore[attr-defined]
    with tenant_context(mailbox_a):
        message = Message.objects.get(owner=erika)
        assert [d.filename for d in message.documents.all()] == ["bescheid.pdf", "anlage.pdf"]
        assert AuditEntry.objects.filter(
            action="mailbox.message.send", target=str(message.public_id)
        ).exists()
    proof = text_of(client_a.get(response["Location"]).content.decode())  # type: ignore[index]
    assert "Bereitgestellt am" in proof
    assert "noch nicht geöffnet" in proof
    assert "Bekanntgegeben am" in proof
    assert "Rechtsbehelfsfrist endet am" in proof
    assert message.documents.first().sha256 in proof  # type: ignore[union-attr]
    listing = text_of(client_a.get("/staff/mailbox/").content.decode())
    assert "Hundesteuerbescheid 2026" in listing
    assert "Erika Mustermann" in listing
    # The same form sent twice (a double click) provides one message.
    _send(client_a)
    with tenant_context(mailbox_a):
        assert Message.objects.count() == 1


def test_sending_to_an_unknown_address_or_a_bad_file_says_why(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    make_staff(mailbox_a, client_a, CLERK, email="steuer@example.org")

    unknown = text_of(_send(client_a, recipient="niemand@example.org").content.decode())  # type: ignore[attr-defined]
    assert "Kein Bürgerkonto hat die E-Mail-Adresse niemand@example.org" in unknown
    bad = _send(
        client_a,
        send_key="form-2",
        documents=[SimpleUploadedFile("bescheid.pdf", b"<html>", "application/pdf")],
    )
    assert "„bescheid.pdf“ ist keine PDF-Datei" in text_of(bad.content.decode())  # type: ignore[attr-defined]
    refused = citizen(mailbox_a, email="brief@example.org", consent=False)
    no_consent = _send(client_a, send_key="form-3", recipient=refused.email)
    assert "per Brief" in text_of(no_consent.content.decode())  # type: ignore[attr-defined]
    with tenant_context(mailbox_a):
        assert not Message.objects.exists()


def test_a_citizen_or_another_modules_clerk_cannot_send(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    make_staff(mailbox_a, client_a, ["news.editor"], email="presse@example.org")
    assert _send(client_a).status_code == 403  # type: ignore[attr-defined]


# --- the legal dates, for a town in Sachsen-Anhalt -----------------------------------


def test_provided_on_a_monday_a_notice_is_made_known_after_reformation_day() -> None:
    # Mon 27.10.2025 + 4 days = Fri 31.10., Reformationstag in Sachsen-Anhalt: Mon 03.11.
    delivery = delivery_judge(
        rule="provision",
        state=ST,
        provided_at=_at("2025-10-27"),
        first_opened_at=None,
        notified_at=None,
    )
    assert delivery.deemed_on == dt.date(2025, 11, 3)
    assert delivery.appeal_until == dt.date(2025, 12, 3)
    # In Niedersachsen the 31st is a holiday too since 2018; in Bayern it is not.
    bavaria = delivery_judge(
        rule="provision",
        state=FederalState.BAYERN,
        provided_at=_at("2025-10-27"),
        first_opened_at=None,
        notified_at=None,
    )
    assert bavaria.deemed_on == dt.date(2025, 10, 31)


def test_an_appeal_deadline_on_epiphany_ends_the_next_day_in_sachsen_anhalt() -> None:
    # Heilige Drei Könige (06.01.) is a holiday in Sachsen-Anhalt, not in Niedersachsen.
    assert appeal_deadline(state=ST, made_known_on=dt.date(2025, 12, 6)) == dt.date(2026, 1, 7)
    assert appeal_deadline(state=NI, made_known_on=dt.date(2025, 12, 6)) == dt.date(2026, 1, 6)
    # One month from 31.01. ends with February's last day (§ 188 Abs. 3 BGB), a Saturday:
    # the next working day.
    assert appeal_deadline(state=ST, made_known_on=dt.date(2026, 1, 31)) == dt.date(2026, 3, 2)


def test_under_the_retrieval_rule_an_unread_notice_falls_back_after_ten_days() -> None:
    notified = _at("2026-03-02")
    opened = delivery_judge(
        rule="retrieval",
        state=ST,
        provided_at=notified,
        notified_at=notified,
        first_opened_at=_at("2026-03-05"),
    )
    assert opened.deemed_on == dt.date(2026, 3, 6)
    waiting = delivery_judge(
        rule="retrieval",
        state=ST,
        provided_at=notified,
        notified_at=notified,
        first_opened_at=None,
        today=dt.date(2026, 3, 12),
    )
    assert waiting.deemed_on is None
    assert not waiting.fell_back
    late = delivery_judge(
        rule="retrieval",
        state=ST,
        provided_at=notified,
        notified_at=notified,
        first_opened_at=None,
        today=dt.date(2026, 3, 13),
    )
    assert late.fell_back
    assert late.deemed_on is None
    assert late.appeal_until is None


def test_an_unread_notice_under_the_retrieval_rule_falls_back_after_ten_days(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    from django.utils import timezone

    from rathaus.modules.mailbox.services import messages_fall_back
    from tests.platform.messaging.helpers import deliver_waiting

    provided = timezone.now()
    with tenant_context(mailbox_a):
        from rathaus.modules.mailbox.services import NewDocument, message_provide

        message = message_provide(
            owner=erika,
            source_key="test:retrieval",
            kind=Message.Kind.NOTICE,
            subject="Bescheid mit Abruf",
            sender_office="Ordnungsamt",
            delivery_rule="retrieval",
            documents=[NewDocument(filename="bescheid.pdf", content=NOTICE_PDF)],
        )
    deliver_waiting(mailbox_a, kinds=["mailbox.notification"])  # notified now

    with tenant_context(mailbox_a):
        assert messages_fall_back(town=mailbox_a, now=provided + dt.timedelta(days=10)) == []
        eleven = provided + dt.timedelta(days=11)
        assert messages_fall_back(town=mailbox_a, now=eleven) == [str(message.public_id)]
        assert messages_fall_back(town=mailbox_a, now=eleven) == []  # once
        assert Message.objects.get(pk=message.pk).fell_back_at == eleven
        assert (
            AuditEntry.objects.filter(
                action="mailbox.message.fallback", target=str(message.public_id)
            ).count()
            == 1
        )
    make_staff(mailbox_a, client_a, CLERK, email="ordnung@example.org")
    proof = text_of(client_a.get(f"/staff/mailbox/messages/{message.public_id}/").content.decode())
    assert "nicht bekanntgegeben: nicht abgerufen, per Brief zu versenden" in proof


def test_the_evidence_record_downloads_as_json(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    import hashlib
    import json

    make_staff(mailbox_a, client_a, CLERK, email="steuer@example.org")
    sent = _send(client_a)
    public_id = sent["Location"].rstrip("/").rsplit("/", 1)[-1]  # type: ignore[index]

    response = client_a.get(f"/staff/mailbox/messages/{public_id}/evidence.json")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    record = json.loads(response.content)
    assert record["message"] == public_id
    assert record["provided_at"]
    assert record["first_opened_at"] is None
    assert record["delivery_rule"] == "provision"
    assert record["deemed_delivered_on"]
    assert record["appeal_deadline"]
    assert record["documents"][0]["sha256"] == hashlib.sha256(NOTICE_PDF).hexdigest()
    assert [entry["action"] for entry in record["audit"]] == ["mailbox.message.send"]


def test_the_evidence_record_downloads_as_a_pdf_with_the_hashes_and_times(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    import hashlib

    import pikepdf

    make_staff(mailbox_a, client_a, CLERK, email="steuer@example.org")
    sent = _send(client_a)
    public_id = sent["Location"].rstrip("/").rsplit("/", 1)[-1]  # type: ignore[index]
    page = client_a.get(f"/staff/mailbox/messages/{public_id}/").content.decode()
    assert f"/staff/mailbox/messages/{public_id}/evidence.pdf" in page

    response = client_a.get(f"/staff/mailbox/messages/{public_id}/evidence.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert pdf.docinfo["/Title"] == f"Zustellnachweis {public_id}"
        text = b"".join(page.Contents.read_bytes() for page in pdf.pages)
    assert hashlib.sha256(NOTICE_PDF).hexdigest().encode() in text
    assert b"mailbox.message.send" in text
    assert b"Bereitgestellt am" in text


def test_another_towns_clerk_gets_no_evidence(
    client_a: Client, client_b: Client, mailbox_a: Municipality, mailbox_b: Municipality
) -> None:
    make_staff(mailbox_a, client_a, CLERK, email="steuer@example.org")
    citizen(mailbox_a)
    sent = _send(client_a)
    public_id = sent["Location"].rstrip("/").rsplit("/", 1)[-1]  # type: ignore[index]
    make_staff(mailbox_b, client_b, CLERK, email="steuer@example.org")

    for suffix in ("evidence.pdf", "evidence.json"):
        assert client_b.get(f"/staff/mailbox/messages/{public_id}/{suffix}").status_code == 404
