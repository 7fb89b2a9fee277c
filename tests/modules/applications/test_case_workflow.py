"""Working a case: the clerk asks back, the citizen answers with documents under
"Meine Anträge", the clerk sees it; the citizen hears of it by mailbox or e-mail."""

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.applications.models import CaseEvent, Submission
from rathaus.modules.mailbox.models import Message
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import audit_lines
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.applications.conftest import fill_and_send, log_in, make_staff, publish
from tests.modules.applications.test_uploads import PDF, _stored_files
from tests.modules.conftest import switch_on
from tests.modules.mailbox.conftest import citizen
from tests.platform.messaging.helpers import deliver_waiting

CLERK = ["applications.clerk"]
QUESTION = "Bitte reichen Sie den Nachweis der Haftpflichtversicherung nach."
LINK = re.compile(r'href="http://[^/]+(/files/[^"]+/)"')


def _citizen_sends(town: Municipality, client: Client, *, consent: bool = False) -> Submission:
    """Erika, logged in, sends the dog form; her case."""
    with tenant_context(town):
        if consent:
            citizen(town)
        else:
            UserFactory.create(email="erika@example.org", first_name="Erika")
    log_in(client, "erika@example.org")
    fill_and_send(client)
    with tenant_context(town):
        return Submission.objects.get()


def _staff(town: Municipality, host_client: Client) -> Client:
    staff = Client(HTTP_HOST=host_client.defaults["HTTP_HOST"])
    make_staff(town, staff, CLERK)
    return staff


def _ask(staff: Client, case: Submission, text: str = QUESTION) -> None:
    asked = staff.post(f"/staff/applications/cases/{case.pk}/query/", {"text": text})
    assert asked.status_code == 302, asked.content.decode()


def test_the_clerk_asks_back_and_the_citizen_answers_with_a_document_the_clerk_opens(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    staff = _staff(applications_a, client_a)
    staff.post(f"/staff/applications/cases/{case.pk}/status/", {"status": "in_progress"})

    _ask(staff, case)
    deliver_waiting(applications_a, kinds=["applications.query.email"])
    mine = client_a.get("/applications/account/").content.decode()
    page = client_a.get(f"/applications/account/{case.reference}/").content.decode()
    stored_before = len(_stored_files(applications_a))
    wrong = client_a.post(
        f"/applications/account/{case.reference}/",
        {"text": "Anbei.", "files": [SimpleUploadedFile("nachweis.pdf", b"kein pdf")]},
    )
    stored_after_refusal = len(_stored_files(applications_a))
    answered = client_a.post(
        f"/applications/account/{case.reference}/",
        {
            "text": "Anbei der Nachweis.",
            "files": [SimpleUploadedFile("nachweis.pdf", PDF, content_type="application/pdf")],
        },
    )
    after = client_a.get(f"/applications/account/{case.reference}/").content.decode()
    clerk_page = staff.get(f"/staff/applications/cases/{case.pk}/").content.decode()

    [email] = mail.outbox
    assert email.to == ["erika@example.org"]
    assert case.reference in email.subject
    assert QUESTION in email.body
    assert f"/applications/account/{case.reference}/" in email.body
    assert "Rückfrage" in mine
    assert QUESTION in page
    assert "Antwort senden" in page
    assert wrong.status_code == 400
    assert "keine erlaubte Datei" in wrong.content.decode()
    assert stored_after_refusal == stored_before
    assert answered.status_code == 302
    assert "Antwort senden" not in after
    assert "Anbei der Nachweis." in after
    assert "in Bearbeitung" in after
    assert "Anbei der Nachweis." in clerk_page
    links = LINK.findall(clerk_page)
    assert len(links) == 1
    download = staff.get(links[0])
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert client_a.get(links[0]).status_code in (403, 404)  # a clerk's link, not hers
    with tenant_context(applications_a):
        assert Submission.objects.get().status == Submission.Status.IN_PROGRESS
        assert CaseEvent.objects.filter(kind=CaseEvent.Kind.ANSWER).count() == 1
        entries = AuditEntry.objects.filter(action__startswith="applications.case.").order_by("pk")
        sentences = [line.sentence for line in audit_lines(entries)]
    assert any(
        s.endswith(f"hat zum Antrag {case.reference} eine Rückfrage gestellt.") for s in sentences
    )
    assert f"Die Rückfrage zum Antrag {case.reference} ist beantwortet (1 Datei)." in sentences


def test_with_the_mailbox_chosen_the_question_arrives_in_the_mailbox(
    client_a: Client, applications_a: Municipality
) -> None:
    switch_on(applications_a, "mailbox")
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a, consent=True)
    staff = _staff(applications_a, client_a)

    _ask(staff, case)
    deliver_waiting(applications_a)

    with tenant_context(applications_a):
        row = OutboxMessage.objects.get(kind__startswith="applications.query")
        message = Message.objects.get(reference=case.reference)
    assert row.channel == "mailbox"
    assert QUESTION in message.body
    assert case.reference in message.subject
    assert all(QUESTION not in m.body for m in mail.outbox)


def test_a_case_in_another_town_or_of_another_person_is_not_found(
    client_a: Client, client_b: Client, applications_a: Municipality, applications_b: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    with tenant_context(applications_a):
        UserFactory.create(email="other@example.org")
    other = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    log_in(other, "other@example.org")
    with tenant_context(applications_b):
        UserFactory.create(email="erika@example.org")
    log_in(client_b, "erika@example.org")

    assert other.get(f"/applications/account/{case.reference}/").status_code == 404
    assert other.get(f"/applications/account/{case.reference}/receipt.pdf").status_code == 404
    assert client_b.get(f"/applications/account/{case.reference}/").status_code == 404


def test_an_answer_without_text_is_refused_and_a_case_without_a_question_takes_none(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    staff = _staff(applications_a, client_a)

    not_asked = client_a.post(f"/applications/account/{case.reference}/", {"text": "Hallo"})
    _ask(staff, case)
    empty = client_a.post(f"/applications/account/{case.reference}/", {"text": " "})
    twice = staff.post(f"/staff/applications/cases/{case.pk}/query/", {"text": "Noch eine?"})

    assert not_asked.status_code == 302
    assert empty.status_code == 400
    assert "Schreiben Sie Ihre Antwort auf." in empty.content.decode()
    assert twice.status_code == 400
    with tenant_context(applications_a):
        assert not CaseEvent.objects.filter(kind=CaseEvent.Kind.ANSWER).exists()
        assert CaseEvent.objects.filter(kind=CaseEvent.Kind.QUERY).count() == 1


@pytest.mark.parametrize("internal", [True, False])
def test_a_status_the_form_keeps_internal_shows_as_received(
    client_a: Client, applications_a: Municipality, internal: bool
) -> None:
    from tests.modules.applications.conftest import dog_definition

    definition = dog_definition()
    if internal:
        definition["internal_statuses"] = ["in_progress"]
    publish(applications_a, definition)
    case = _citizen_sends(applications_a, client_a)
    staff = _staff(applications_a, client_a)
    staff.post(f"/staff/applications/cases/{case.pk}/status/", {"status": "in_progress"})

    page = client_a.get(f"/applications/account/{case.reference}/").content.decode()
    clerk_page = staff.get(f"/staff/applications/cases/{case.pk}/").content.decode()

    assert ("in Bearbeitung" in page) is not internal
    assert "in Bearbeitung" in clerk_page


def test_a_guest_answers_by_the_link_in_the_email_which_works_on_this_town_only(
    client_a: Client, client_b: Client, applications_a: Municipality, applications_b: Municipality
) -> None:
    publish(applications_a)
    fill_and_send(client_a)  # as a guest, the receipt to erika@example.org
    with tenant_context(applications_a):
        case = Submission.objects.get()
    staff = _staff(applications_a, client_a)

    _ask(staff, case)
    deliver_waiting(applications_a, kinds=["applications.query.email"])
    [email] = mail.outbox
    found = re.search(r"http://[^/]+(/applications/case/[^/\s]+/)", str(email.body))
    assert found is not None
    link = found.group(1)
    guest = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    page = guest.get(link).content.decode()
    receipt = guest.get(link + "receipt.pdf")
    answered = guest.post(link, {"text": "Die Versicherung ist abgeschlossen."})
    after = guest.get(link).content.decode()

    assert QUESTION in page
    assert "Antwort senden" in page
    assert receipt["Content-Type"] == "application/pdf"
    assert answered.status_code == 302
    assert "Die Versicherung ist abgeschlossen." in after
    assert "Antwort senden" not in after
    assert client_b.get(link).status_code == 404  # the other town's link check fails
    assert guest.get(link[:-6] + "xxxxx/").status_code == 404
    with tenant_context(applications_a):
        assert Submission.objects.get().status == Submission.Status.IN_PROGRESS


def test_the_assigned_clerk_hears_that_the_citizen_answered(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    case = _citizen_sends(applications_a, client_a)
    staff = _staff(applications_a, client_a)
    staff.post(f"/staff/applications/cases/{case.pk}/assign/", {"mine": "1"})
    _ask(staff, case)

    client_a.post(
        f"/applications/account/{case.reference}/",
        {
            "text": "Anbei, mit freundlichen Grüßen",
            "files": [SimpleUploadedFile("nachweis.pdf", PDF, content_type="application/pdf")],
        },
    )
    deliver_waiting(applications_a, kinds=["applications.answered.email"])

    [email] = mail.outbox
    assert email.to == ["antraege@example.org"]
    assert case.reference in email.subject
    assert "(1 Datei)" in email.body
    assert f"/staff/applications/cases/{case.pk}/" in email.body
    assert "mit freundlichen Grüßen" not in email.body  # the answer stays in the case
