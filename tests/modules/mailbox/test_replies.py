"""The citizen replies to a message that allows it (text and PDFs); the clerk sees it."""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Message, Reply
from rathaus.modules.mailbox.services import message_provide
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.html import text_of

from .conftest import CLERK, NOTICE_PDF, log_in, make_staff, provide


def _asking(town: Municipality, owner: User) -> Message:
    with tenant_context(town):
        return message_provide(
            owner=owner,
            source_key="test:question",
            kind=Message.Kind.INFORMATION,
            subject="Rückfrage zu Ihrem Antrag",
            sender_office="Ordnungsamt",
            body="Bitte senden Sie uns den Impfpass.",
            allows_reply=True,
        )


def test_a_reply_with_a_pdf_reaches_the_clerk(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    message = _asking(mailbox_a, erika)
    log_in(client_a, erika.email)
    page = client_a.get(f"/mailbox/{message.public_id}/").content.decode()
    assert "Antwort senden" in page

    sent = client_a.post(
        f"/mailbox/{message.public_id}/reply/",
        {
            "body": "Anbei der Impfpass von Bello.",
            "documents": [SimpleUploadedFile("impfpass.pdf", NOTICE_PDF, "application/pdf")],
        },
    )

    assert sent.status_code == 302
    shown = text_of(client_a.get(f"/mailbox/{message.public_id}/").content.decode())
    assert "Anbei der Impfpass von Bello." in shown
    clerk = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])
    make_staff(mailbox_a, clerk, CLERK, email="ordnung@example.org")
    proof = clerk.get(f"/staff/mailbox/messages/{message.public_id}/").content.decode()
    assert "Anbei der Impfpass von Bello." in text_of(proof)
    link = re.search(r'href="http://[^/]+(/files/[^"]+/)"', proof)
    assert link
    assert b"".join(clerk.get(link.group(1)).streaming_content) == NOTICE_PDF  # type: ignore[attr-defined]
    # The citizen's own session cannot use the clerk's link.
    assert client_a.get(link.group(1)).status_code == 403


def test_no_reply_where_none_is_allowed_and_a_bad_file_is_named(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    notice = provide(mailbox_a, erika)
    question = _asking(mailbox_a, erika)
    log_in(client_a, erika.email)

    assert "Antwort senden" not in client_a.get(f"/mailbox/{notice.public_id}/").content.decode()
    assert client_a.post(f"/mailbox/{notice.public_id}/reply/", {"body": "x"}).status_code == 404
    bad = client_a.post(
        f"/mailbox/{question.public_id}/reply/",
        {"body": "Hier", "documents": [SimpleUploadedFile("pass.pdf", b"GIF89a", "image/gif")]},
    )
    assert "„pass.pdf“ ist keine PDF-Datei" in text_of(bad.content.decode())
    with tenant_context(mailbox_a):
        assert not Reply.objects.exists()
