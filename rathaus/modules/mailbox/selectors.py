"""Reads of the mailbox: an account's messages, its consent, the evidence of a message."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.identity.models import Membership, User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.current import current_town

from .models import DeliveryConsent, Document, Message, NotificationChoice
from .proof import Delivery, delivery_judge


def consent_current(*, account: User) -> DeliveryConsent | None:
    """The account's newest decision on electronic delivery (``None``: it never made one)."""
    return DeliveryConsent.objects.filter(account=account).first()


def consent_given(*, account: User) -> bool:
    """Whether official notices may reach ``account`` electronically now."""
    current = consent_current(account=account)
    return bool(current and current.consented)


def sms_notification_on(*, account: User) -> bool:
    """Whether the account is also told by SMS that something arrived: it chose so and its
    mobile number is confirmed."""
    if not account.phone or account.phone_verified_at is None:
        return False
    return NotificationChoice.objects.filter(account=account, by_sms=True).exists()


def mailbox_accounts(*, reader: User) -> list[int]:
    """The accounts whose mailbox ``reader`` reads: their own, and that of each association
    or company they are a member of (any role: the members share it; the organisation's
    admins also decide on its consent)."""
    organisations = Membership.objects.filter(member=reader, organisation__is_active=True)
    return [reader.pk, *organisations.values_list("organisation_id", flat=True)]


def messages_of(*, owner: User, query: str = "") -> QuerySet[Message]:
    """The messages ``owner`` reads (their own and their organisations', see
    ``mailbox_accounts``), newest first; ``query`` searches subject, text, sender,
    reference and the documents' names (every word must occur)."""
    messages = Message.objects.filter(owner_id__in=mailbox_accounts(reader=owner))
    for word in query.split()[:8]:
        messages = messages.filter(
            Q(subject__icontains=word)
            | Q(body__icontains=word)
            | Q(sender_office__icontains=word)
            | Q(reference__icontains=word)
            | Exists(Document.objects.filter(message=OuterRef("pk"), filename__icontains=word))
        )
    return messages.select_related("owner").prefetch_related("documents")


def messages_unread_count(*, owner: User) -> int:
    readable = mailbox_accounts(reader=owner)
    return Message.objects.filter(owner_id__in=readable, first_opened_at__isnull=True).count()


def message_of(*, owner: User, public_id: uuid.UUID | str) -> Message | None:
    """The message with ``public_id`` if ``owner`` reads it (their own or one of their
    organisations'); ``None`` for anyone else's or none."""
    return (
        Message.objects.filter(owner_id__in=mailbox_accounts(reader=owner), public_id=public_id)
        .select_related("owner")
        .prefetch_related("documents", "replies__documents")
        .first()
    )


def messages_sent(*, query: str = "", state: str = "") -> QuerySet[Message]:
    """Every message of the town for the staff, newest first, found by subject, reference
    or the recipient's address; ``state`` "unread" or "opened"."""
    messages = Message.objects.select_related("owner", "sent_by")
    for word in query.split()[:8]:
        messages = messages.filter(
            Q(subject__icontains=word)
            | Q(reference__icontains=word)
            | Q(owner__email__icontains=word)
            | Q(owner__last_name__icontains=word)
            | Q(owner__organisation_name__icontains=word)
        )
    if state == "unread":
        messages = messages.filter(first_opened_at__isnull=True)
    elif state == "opened":
        messages = messages.filter(first_opened_at__isnull=False)
    return messages


def message_sent(*, public_id: uuid.UUID | str) -> Message | None:
    return (
        Message.objects.select_related("owner", "sent_by")
        .prefetch_related("documents", "replies__documents", "replies__author")
        .filter(public_id=public_id)
        .first()
    )


@dataclass(frozen=True)
class Proof:
    """The evidence of a message: when it was provided, notified and first opened, what the
    notification was, each document's hash, the delivery its rule says, the audit entries."""

    message: Message
    notification: OutboxMessage | None
    notified_at: dt.datetime | None
    delivery: Delivery
    audit: list[AuditEntry]


def message_proof(*, message: Message, today: dt.date | None = None) -> Proof:
    notification = (
        OutboxMessage.objects.filter(key=message.notification_key).first()
        if message.notification_key
        else None
    )
    notified_at = notification.sent_at if notification else None
    return Proof(
        message=message,
        notification=notification,
        notified_at=notified_at,
        delivery=delivery_judge(
            rule=message.delivery_rule,
            state=current_town().state,
            provided_at=message.provided_at,
            first_opened_at=message.first_opened_at,
            notified_at=notified_at,
            today=today,
        ),
        audit=list(
            AuditEntry.objects.filter(
                action__startswith="mailbox.", target=str(message.public_id)
            ).order_by("pk")
        ),
    )


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value else None


def message_evidence(*, proof: Proof) -> dict[str, object]:
    """The evidence record of a message as plain JSON (what the staff's proof page shows)."""
    message, delivery = proof.message, proof.delivery
    return {
        "message": str(message.public_id),
        "town": current_town().name,
        "recipient_account": message.owner_id,
        "kind": message.kind,
        "subject": message.subject,
        "sender": message.sender_office,
        "reference": message.reference,
        "provided_at": _iso(message.provided_at),
        "notification": {
            "key": message.notification_key,
            "state": proof.notification.state if proof.notification else None,
            "sent_at": _iso(proof.notified_at),
        },
        "first_opened_at": _iso(message.first_opened_at),
        "fell_back_at": _iso(message.fell_back_at),
        "delivery_rule": message.delivery_rule,
        "deemed_delivered_on": _iso(delivery.deemed_on),
        "appeal_deadline": _iso(delivery.appeal_until),
        "documents": [
            {"filename": d.filename, "size": d.size, "sha256": d.sha256}
            for d in message.documents.all()
            if d.reply_id is None
        ],
        "audit": [
            {
                "at": _iso(entry.created_at),
                "actor": entry.actor,
                "action": entry.action,
                "after": entry.after,
            }
            for entry in proof.audit
        ],
    }
