"""Providing messages: bad input fails clearly and stores nothing; a message never changes."""

import pytest
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.errors import MailboxError
from rathaus.modules.mailbox.models import Document, ImmutableMessageError, Message
from rathaus.modules.mailbox.services import NewDocument, message_provide
from rathaus.platform.identity.models import User
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.models import Municipality

from .conftest import NOTICE_PDF, citizen, provide


def _notice(owner: User | None, **changes: object) -> Message:
    arguments: dict[str, object] = {
        "owner": owner,
        "source_key": "test:bad",
        "kind": Message.Kind.NOTICE,
        "subject": "Bescheid",
        "sender_office": "Ordnungsamt",
        "documents": [NewDocument(filename="bescheid.pdf", content=NOTICE_PDF)],
    }
    arguments.update(changes)
    return message_provide(**arguments)  # type: ignore[arg-type]


def test_a_notice_needs_consent_and_says_to_send_a_letter(mailbox_a: Municipality) -> None:
    person = citizen(mailbox_a, consent=False)
    with tenant_context(mailbox_a), pytest.raises(MailboxError, match="per Brief"):
        _notice(person)
    with tenant_context(mailbox_a):
        assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (NewDocument(filename="bescheid.pdf", content=b"MZ\x90\x00 not a pdf"), "keine PDF-Datei"),
        (
            NewDocument(filename="b.docx", content=NOTICE_PDF, content_type="text/plain"),
            "keine PDF",
        ),
        (NewDocument(filename="gross.pdf", content=NOTICE_PDF + b"0" * 2048), "größer als"),
    ],
)
def test_a_bad_document_is_named_and_nothing_is_stored(
    mailbox_a: Municipality,
    erika: User,
    document: NewDocument,
    reason: str,
    settings: object,
) -> None:
    settings.MAILBOX_MAX_DOCUMENT_BYTES = 1024  # type: ignore[attr-defined]
    good = NewDocument(filename="anlage.pdf", content=NOTICE_PDF)
    with tenant_context(mailbox_a):
        with pytest.raises(MailboxError, match=reason):
            _notice(erika, documents=[good, document])
        assert not Message.objects.exists()
        assert not Document.objects.exists()


def test_an_unknown_or_deleted_account_gets_nothing(mailbox_a: Municipality) -> None:
    gone = citizen(mailbox_a, email="weg@example.org")
    with tenant_context(mailbox_a):
        gone.is_active = False
        gone.save()
        with pytest.raises(MailboxError, match="gelöscht oder gesperrt"):
            _notice(gone)
        with pytest.raises(MailboxError, match="gibt es nicht"):
            _notice(User(pk=999999, email="nobody@example.org"))
        assert not Message.objects.exists()


def test_a_provided_message_never_changes_and_is_provided_once(
    mailbox_a: Municipality, erika: User
) -> None:
    message = provide(mailbox_a, erika, key="test:once")
    again = provide(mailbox_a, erika, subject="Anders", key="test:once")
    assert again.pk == message.pk
    with tenant_context(mailbox_a):
        message.subject = "Geändert"
        with pytest.raises(ImmutableMessageError):
            message.save()
        document = Document.objects.get(message=message)
        with pytest.raises(ImmutableMessageError):
            document.save()
        assert Message.objects.get(pk=message.pk).subject == "Hundesteuerbescheid 2026"
        # Stored privately under its hash, byte for byte.
        import hashlib

        assert document.sha256 == hashlib.sha256(NOTICE_PDF).hexdigest()
        with private_storage().open(document.stored_name) as handle:
            assert handle.read() == NOTICE_PDF
