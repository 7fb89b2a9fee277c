"""Personal data of the mailbox for the conformance test: consent and a notice with a PDF."""

from rathaus.modules.mailbox.models import Message
from rathaus.modules.mailbox.services import NewDocument, consent_record, message_provide
from rathaus.platform.identity.models import User

PDF = b"%PDF-1.7\n% Bescheid\n%%EOF\n"


def create_personal_data(user: User) -> None:
    consent_record(account=user, consented=True)
    message_provide(
        owner=user,
        source_key=f"conformance:{user.pk}",
        kind=Message.Kind.NOTICE,
        subject="Bescheid",
        sender_office="Ordnungsamt",
        body=f"Guten Tag {user.get_full_name()}",
        documents=[NewDocument(filename="bescheid.pdf", content=PDF)],
    )
