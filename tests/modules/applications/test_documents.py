"""The case's PDFs: the receipt (mailed and under "Meine Anträge") and the decision, made
from a text or uploaded, that reaches the citizen by mailbox or e-mail."""

import io
import re
from collections.abc import Sequence
from typing import Any

import pikepdf
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context
from pypdf import PdfReader

from rathaus.modules.applications.models import CaseEvent, Submission
from rathaus.modules.mailbox.models import Message
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import audit_lines
from rathaus.tenants.models import Municipality
from tests.modules.applications.conftest import publish
from tests.modules.applications.test_case_workflow import _citizen_sends, _staff
from tests.modules.applications.test_uploads import PDF
from tests.modules.conftest import switch_on
from tests.platform.messaging.helpers import deliver_waiting

LINK = re.compile(r'href="http://[^/]+(/files/[^"]+/)"')
DECISION = "Ihr Hund Bello ist angemeldet.\n\nDie Steuermarke geht Ihnen per Post zu."


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _titles(outline: Sequence[object]) -> list[str]:
    titles: list[str] = []
    for item in outline:
        titles += _titles(item) if isinstance(item, list) else [str(item.title)]  # type: ignore[attr-defined]
    return titles


def test_the_receipt_pdf_lists_the_answers_and_comes_with_the_email_and_in_my_account(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)

    deliver_waiting(applications_a, kinds=["applications.receipt"])
    download = client_a.get(f"/applications/account/{case.reference}/receipt.pdf")
    page = client_a.get(f"/applications/account/{case.reference}/").content.decode()

    [email] = mail.outbox
    [(filename, attached, mimetype)] = email.attachments
    assert filename == f"eingangsbestaetigung-{case.reference}.pdf"
    assert mimetype == "application/pdf"
    assert download["Content-Type"] == "application/pdf"
    assert "receipt.pdf" in page
    for pdf in (attached, download.content):
        text = _text(pdf)
        assert case.reference in text
        assert "Bello" in text
        assert "Name des Hundes" in text
        assert "Anlagen" in text
    reader = PdfReader(io.BytesIO(download.content))
    assert reader.metadata is not None
    assert reader.metadata.title == f"Eingangsbestätigung {case.reference}"
    root: Any = reader.trailer["/Root"]
    assert root.get("/Lang") == "de"
    assert f"Eingangsbestätigung {case.reference}" in _titles(reader.outline)
    assert_tagged(download.content, sections=True)


def assert_tagged(pdf: bytes, *, sections: bool = False) -> None:
    """A tagged PDF: marked content on every page, each sequence in the structure tree
    (Document > H1, H2, P, Table > TR > TH, TD), declared PDF/UA-1."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        root = document.Root
        assert bool(root.MarkInfo.Marked)
        assert str(root.Lang) == "de"
        tree = root.StructTreeRoot
        [top] = list(tree.K)
        assert pikepdf.Name.Document == top.S
        tags = [str(kid.S) for kid in top.K]
        assert tags[:3] == ["/P", "/H1", "/Table"]
        assert ("/H2" in tags) is sections
        first_row = next(kid for kid in top.K if pikepdf.Name.Table == kid.S).K[0]
        assert [str(cell.S) for cell in first_row.K] == ["/TH", "/TD"]
        nums = list(tree.ParentTree.Nums)
        for index, page in enumerate(document.pages):
            assert int(page.obj.StructParents) == index
            marked = [
                item
                for item in pikepdf.parse_content_stream(page)
                if isinstance(item, pikepdf.ContentStreamInstruction)
                and str(item.operator) == "BDC"
            ]
            assert len(marked) == len(nums[2 * index + 1]) > 0
        with document.open_metadata() as meta:
            assert meta["pdfuaid:part"] == "1"


def test_the_clerk_decides_with_a_text_and_the_citizen_gets_the_pdf_by_email_and_online(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    staff = _staff(applications_a, client_a)

    nothing = staff.post(f"/staff/applications/cases/{case.pk}/decide/", {"status": "done"})
    decided = staff.post(
        f"/staff/applications/cases/{case.pk}/decide/", {"status": "done", "text": DECISION}
    )
    again = staff.post(
        f"/staff/applications/cases/{case.pk}/decide/", {"status": "rejected", "text": "Nein."}
    )
    deliver_waiting(applications_a, kinds=["applications.decision.email"])
    page = client_a.get(f"/applications/account/{case.reference}/").content.decode()
    mine = client_a.get("/applications/account/").content.decode()

    assert nothing.status_code == 400
    assert "Schreiben Sie den Text des Bescheids" in nothing.content.decode()
    assert decided.status_code == 302
    assert again.status_code == 400  # decided once only
    [email] = mail.outbox
    assert case.reference in email.subject
    assert "abgeschlossen" in email.body
    [(filename, attached, _mimetype)] = email.attachments
    assert filename == f"bescheid-{case.reference}.pdf"
    assert "Die Steuermarke geht Ihnen per Post zu." in _text(attached)
    assert_tagged(attached)
    assert "abgeschlossen" in mine
    assert "Bescheid herunterladen" in page
    link = LINK.findall(page)[0]  # in the decision's box and in the history
    downloaded = b"".join(client_a.get(link).streaming_content)  # type: ignore[attr-defined]
    assert downloaded == attached
    with tenant_context(applications_a):
        assert Submission.objects.get().status == Submission.Status.DONE
        entries = AuditEntry.objects.filter(action="applications.case.decision")
        [sentence] = [line.sentence for line in audit_lines(entries)]
    assert sentence.endswith(
        f"hat über den Antrag {case.reference} entschieden (abgeschlossen) "
        "und den Bescheid gesendet."
    )


def test_an_uploaded_decision_is_refused_unless_a_pdf_and_reaches_the_mailbox(
    client_a: Client, applications_a: Municipality
) -> None:
    switch_on(applications_a, "mailbox")
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a, consent=True)
    staff = _staff(applications_a, client_a)

    not_pdf = staff.post(
        f"/staff/applications/cases/{case.pk}/decide/",
        {"status": "rejected", "document": SimpleUploadedFile("bescheid.pdf", b"kein pdf")},
    )
    decided = staff.post(
        f"/staff/applications/cases/{case.pk}/decide/",
        {
            "status": "rejected",
            "document": SimpleUploadedFile("ablehnung.pdf", PDF, content_type="application/pdf"),
        },
    )
    deliver_waiting(applications_a)

    assert not_pdf.status_code == 400
    assert "keine erlaubte Datei" in not_pdf.content.decode()
    assert decided.status_code == 302
    with tenant_context(applications_a):
        message = Message.objects.get(reference=case.reference, kind=Message.Kind.NOTICE)
        [document] = message.documents.all()
        assert document.filename == "ablehnung.pdf"
        assert CaseEvent.objects.get(kind=CaseEvent.Kind.DECISION).files[0]["name"] == (
            "ablehnung.pdf"
        )
        assert Submission.objects.get().status == Submission.Status.REJECTED
    assert all(
        case.reference not in m.subject or "Entscheidung" not in m.subject for m in mail.outbox
    )
