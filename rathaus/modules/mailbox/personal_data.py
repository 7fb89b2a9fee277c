"""What the mailbox keeps on a person, for "Meine Daten" and account deletion.

The export lists every message with its evidence and each document's hash (the
documents themselves are downloaded from the mailbox); deleting the account
deletes the mailbox, its files included.
"""

from typing import Any

from django.db import transaction

from rathaus.platform.identity.models import User

from .models import DeliveryConsent, Document, Message, NotificationChoice, Reply
from .services import files_delete


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def mailbox_data_export(*, user: User) -> dict[str, Any]:
    messages = Message.objects.filter(owner=user).prefetch_related("documents", "replies")
    return {
        "delivery_consent": [
            {"consented": row.consented, "recorded_at": _iso(row.recorded_at)}
            for row in DeliveryConsent.objects.filter(account=user).order_by("recorded_at", "pk")
        ],
        "messages": [
            {
                "id": str(message.public_id),
                "kind": message.kind,
                "subject": message.subject,
                "body": message.body,
                "sender": message.sender_office,
                "reference": message.reference,
                "provided_at": _iso(message.provided_at),
                "first_opened_at": _iso(message.first_opened_at),
                "documents": [
                    {"filename": d.filename, "size": d.size, "sha256": d.sha256}
                    for d in message.documents.all()
                ],
                "replies": [
                    {"body": reply.body, "sent_at": _iso(reply.sent_at)}
                    for reply in message.replies.all()
                ],
            }
            for message in messages.order_by("provided_at", "pk")
        ],
        "sms_notification": NotificationChoice.objects.filter(account=user, by_sms=True).exists(),
        "replies_written": [
            {"message": str(reply.message.public_id), "sent_at": _iso(reply.sent_at)}
            for reply in Reply.objects.filter(author=user).select_related("message")
        ],
    }


@transaction.atomic
def mailbox_data_erase(*, user: User) -> None:
    """Deletes the person's mailbox (messages, replies, files), the replies they wrote and
    their consent records."""
    names = list(Document.objects.filter(message__owner=user).values_list("stored_name", flat=True))
    Message.objects.filter(owner=user).delete()
    Reply.objects.filter(author=user).delete()
    DeliveryConsent.objects.filter(account=user).delete()
    NotificationChoice.objects.filter(account=user).delete()
    transaction.on_commit(lambda: files_delete(names))
