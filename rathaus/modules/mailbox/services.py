"""Writes of the mailbox: consent, providing a message with its documents, opening it.

A message is provided once (``source_key``) in one transaction with its
documents: every document is checked (a PDF by its content, within the size
limit) before anything is stored, so a bad file sends nothing at all.
"""

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.keys import address_digest
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.persons import person_message_enqueue
from rathaus.platform.messaging.services import message_enqueue
from rathaus.platform.storage.private import private_file_save, private_storage
from rathaus.tenants.models import Municipality

from .errors import MailboxError
from .models import DeliveryConsent, Document, Message, NotificationChoice, Reply
from .proof import PROVISION, RETRIEVAL, delivery_judge
from .selectors import consent_given, mailbox_accounts, sms_notification_on

NOTIFICATION = "mailbox.notification"
NOTIFICATION_SMS = "mailbox.notification-sms"
# The notice that fell back, as a letter over the outbox's ``letter`` channel (where a
# module provides one in the town): its documents behind a cover page with the address.
FALLBACK_LETTER = "mailbox.fallback.letter"
PDF = "application/pdf"
ALLOWED_TYPES = {PDF: b"%PDF-"}


def max_document_bytes() -> int:
    return int(getattr(settings, "MAILBOX_MAX_DOCUMENT_BYTES", 10 * 1024 * 1024))


@dataclass(frozen=True)
class NewDocument:
    """A file to store with a message: its name, its bytes, the type it claims to be."""

    filename: str
    content: bytes
    content_type: str = PDF


def consent_record(*, account: User, consented: bool) -> DeliveryConsent:
    """Records the account's decision on electronic delivery of official notices, now.

    Every decision is kept with its time (the proof of consent); the newest counts.
    Withdrawing it sends later notices by letter; what was provided stays.
    """
    return DeliveryConsent.objects.create(
        account=account, consented=consented, recorded_at=timezone.now()
    )


def _document_check(document: NewDocument) -> str:
    """The file name to keep; raises ``MailboxError`` naming what is wrong with the file."""
    name = PurePosixPath(document.filename.replace("\\", "/")).name.strip()
    if not name:
        raise MailboxError(_("Ein Dokument hat keinen Dateinamen."))
    magic = ALLOWED_TYPES.get(document.content_type)
    if magic is None or not document.content.startswith(magic):
        raise MailboxError(
            _("„%(name)s“ ist keine PDF-Datei. Bitte fügen Sie nur PDF-Dokumente bei.")
            % {"name": name}
        )
    if len(document.content) > max_document_bytes():
        raise MailboxError(
            _("„%(name)s“ ist größer als %(limit)s.")
            % {"name": name, "limit": filesizeformat(max_document_bytes())}
        )
    return name[:200]


def _documents_store(
    *,
    message: Message,
    documents: Sequence[tuple[str, NewDocument]],
    stored: list[str],
    reply: Reply | None = None,
) -> None:
    """Stores each file privately and records it; ``stored`` collects the stored names, so
    the caller can remove the files should its transaction fail."""
    for name, document in documents:
        digest = hashlib.sha256(document.content).hexdigest()
        safe = get_valid_filename(name) or "dokument.pdf"
        saved = private_file_save(
            name=f"mailbox/{message.public_id}/{digest[:16]}-{safe}", content=document.content
        )
        stored.append(saved.name)
        Document.objects.create(
            message=message,
            reply=reply,
            filename=name,
            content_type=document.content_type,
            size=saved.size,
            sha256=saved.sha256,
            stored_name=saved.name,
        )


def files_delete(names: Sequence[str]) -> None:
    """Deletes stored documents from the town's private storage (after their rows went)."""
    storage = private_storage()
    for name in names:
        storage.delete(name)


def _recipient_check(owner: User | None) -> User:
    if owner is None or not owner.pk or not User.objects.filter(pk=owner.pk).exists():
        raise MailboxError(_("Dieses Konto gibt es nicht (mehr)."))
    if not owner.is_active:
        raise MailboxError(_("Dieses Konto ist gelöscht oder gesperrt."))
    if owner.is_staff or owner.is_support_account:
        raise MailboxError(_("Ein Konto der Verwaltung hat kein Bürgerpostfach."))
    return owner


def message_provide(
    *,
    owner: User | None,
    source_key: str,
    kind: str,
    subject: str,
    sender_office: str,
    body: str = "",
    reference: str = "",
    allows_reply: bool = False,
    documents: Sequence[NewDocument] = (),
    sent_by: User | None = None,
    delivery_rule: str | None = None,
    now: dt.datetime | None = None,
) -> Message:
    """Provides a message in ``owner``'s mailbox and notifies them by e-mail (no content).

    ``source_key`` is the sender's idempotency key: providing it again returns the
    message provided first. A notice (``Message.Kind.NOTICE``) needs the owner's
    consent to electronic delivery. Raises ``MailboxError`` naming what is wrong
    (unknown or deleted account, no consent, a file that is no PDF or too large,
    no subject); then nothing is stored. ``delivery_rule`` (``proof``) defaults to
    ``provision`` for a notice and none for information.
    """
    existing = Message.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing
    owner = _recipient_check(owner)
    if kind not in Message.Kind.values:
        raise MailboxError(_("Unbekannte Nachrichtenart „%(kind)s“.") % {"kind": kind})
    if not subject.strip():
        raise MailboxError(_("Eine Nachricht braucht einen Betreff."))
    if kind == Message.Kind.NOTICE and not consent_given(account=owner):
        raise MailboxError(
            _(
                "%(name)s hat der elektronischen Zustellung von Bescheiden nicht zugestimmt; "
                "bitte versenden Sie den Bescheid per Brief."
            )
            % {"name": owner.get_full_name()}
        )
    if delivery_rule is None:
        delivery_rule = PROVISION if kind == Message.Kind.NOTICE else ""
    if delivery_rule not in ("", PROVISION, RETRIEVAL):
        raise MailboxError(_("Unbekannte Zustellregel „%(rule)s“.") % {"rule": delivery_rule})
    checked = [(_document_check(document), document) for document in documents]
    stored: list[str] = []
    try:
        with transaction.atomic():
            message = _message_write(
                owner=owner,
                source_key=source_key,
                kind=kind,
                subject=subject,
                sender_office=sender_office,
                body=body,
                reference=reference,
                allows_reply=allows_reply,
                sent_by=sent_by,
                delivery_rule=delivery_rule,
                now=now,
            )
            _documents_store(message=message, documents=checked, stored=stored)
            _notify(message=message, owner=owner)
    except Exception:
        files_delete(stored)
        raise
    return message


def _message_write(
    *,
    owner: User,
    source_key: str,
    kind: str,
    subject: str,
    sender_office: str,
    body: str,
    reference: str,
    allows_reply: bool,
    sent_by: User | None,
    delivery_rule: str,
    now: dt.datetime | None,
) -> Message:
    message = Message(
        owner=owner,
        kind=kind,
        subject=subject.strip()[:200],
        body=body.strip(),
        sender_office=sender_office.strip()[:200],
        reference=reference.strip()[:60],
        allows_reply=allows_reply,
        sent_by=sent_by,
        source_key=source_key,
        delivery_rule=delivery_rule,
        provided_at=now or timezone.now(),
    )
    message.save()
    return message


def _notify(*, message: Message, owner: User) -> None:
    """Queues the e-mail that says something arrived (never what) and keeps its key; and
    the same news by SMS where the owner chose so (``sms_notification_on``)."""
    if sms_notification_on(account=owner):
        phone = str(owner.phone)
        message_enqueue(
            key=f"{NOTIFICATION_SMS}:{message.public_id}:{address_digest(phone)}",
            kind=NOTIFICATION_SMS,
            address=phone,
            context={"message": str(message.public_id)},
            recipient=owner,
        )
    email = (owner.email or "").strip()
    if not email:
        return
    key = f"{NOTIFICATION}:{message.public_id}:{address_digest(email)}"
    message_enqueue(
        key=key,
        kind=NOTIFICATION,
        address=email,
        context={"message": str(message.public_id)},
        recipient=owner,
    )
    message.notification_key = key
    message.save(update_fields=["notification_key"])


def sms_notification_set(*, account: User, by_sms: bool) -> NotificationChoice:
    """Records whether ``account`` also hears of new messages by SMS. Raises
    ``MailboxError`` when SMS is chosen without a confirmed mobile number."""
    if by_sms and (not account.phone or account.phone_verified_at is None):
        raise MailboxError(_("Bitte bestätigen Sie zuerst Ihre Mobilnummer."))
    choice, _created = NotificationChoice.objects.update_or_create(
        account=account, defaults={"by_sms": by_sms}
    )
    return choice


def message_open(*, message: Message, now: dt.datetime | None = None) -> Message:
    """Records the first time the owner opened ``message`` (later openings change nothing)."""
    if message.first_opened_at is None:
        when = now or timezone.now()
        Message.objects.filter(pk=message.pk, first_opened_at__isnull=True).update(
            first_opened_at=when
        )
        message.first_opened_at = Message.objects.values_list("first_opened_at", flat=True).get(
            pk=message.pk
        )
    return message


def message_send(
    *,
    town: Municipality,
    actor: Actor,
    sent_by: User | None,
    recipient_email: str,
    kind: str,
    subject: str,
    sender_office: str,
    source_key: str,
    reference: str = "",
    body: str = "",
    allows_reply: bool = False,
    documents: Sequence[NewDocument] = (),
) -> Message:
    """A staff member sends one message to the citizen account with ``recipient_email``;
    audited in the same transaction. Raises ``MailboxError`` as ``message_provide`` does,
    and for an address no citizen account has."""
    owner = User.objects.filter(email__iexact=recipient_email.strip()).first()
    if owner is None:
        raise MailboxError(
            _("Kein Bürgerkonto hat die E-Mail-Adresse %(email)s.") % {"email": recipient_email}
        )
    with transaction.atomic():
        message = message_provide(
            owner=owner,
            source_key=source_key,
            kind=kind,
            subject=subject,
            sender_office=sender_office,
            body=body,
            reference=reference,
            allows_reply=allows_reply,
            documents=documents,
            sent_by=sent_by,
        )
        audit_record(
            town=town,
            actor=actor,
            action="mailbox.message.send",
            target=str(message.public_id),
            after={
                "kind": message.kind,
                "recipient": owner.pk,
                "reference": message.reference,
                "documents": [
                    {"filename": d.filename, "sha256": d.sha256} for d in message.documents.all()
                ],
            },
        )
    return message


REPLY_MAX_LENGTH = 10_000


def reply_send(
    *,
    message: Message,
    author: User,
    body: str,
    documents: Sequence[NewDocument] = (),
    now: dt.datetime | None = None,
) -> Reply:
    """The owner answers ``message`` (text and PDFs); the staff who sent it see it on the
    message's page. Raises ``MailboxError`` when the message allows no replies, the text
    is empty or too long, or a file is no PDF or too large; then nothing is stored."""
    if not message.allows_reply:
        raise MailboxError(_("Auf diese Nachricht kann nicht geantwortet werden."))
    if message.owner_id not in mailbox_accounts(reader=author):
        raise MailboxError(_("Nur der Empfänger kann auf diese Nachricht antworten."))
    text = body.strip()
    if not text:
        raise MailboxError(_("Bitte schreiben Sie Ihre Antwort."))
    if len(text) > REPLY_MAX_LENGTH:
        raise MailboxError(
            _("Die Antwort ist länger als %(limit)s Zeichen.") % {"limit": REPLY_MAX_LENGTH}
        )
    checked = [(_document_check(document), document) for document in documents]
    stored: list[str] = []
    try:
        with transaction.atomic():
            reply = Reply.objects.create(
                message=message, author=author, body=text, sent_at=now or timezone.now()
            )
            _documents_store(message=message, documents=checked, stored=stored, reply=reply)
    except Exception:
        files_delete(stored)
        raise
    return reply


def messages_fall_back(*, town: Municipality, now: dt.datetime | None = None) -> list[str]:
    """Nightly: marks every message under the retrieval rule that was not retrieved within
    ``proof.FALLBACK_DAYS`` of its notification as fallen back (not delivered; the notice
    goes by letter: enqueued once, in the same transaction, over the outbox's ``letter``
    channel where the town has one and the account a postal address) and audits each;
    idempotent. Returns the public ids marked."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    marked: list[str] = []
    waiting = Message.objects.filter(
        delivery_rule=RETRIEVAL, first_opened_at__isnull=True, fell_back_at__isnull=True
    )
    for message in waiting.order_by("pk"):
        notified_at = (
            OutboxMessage.objects.filter(key=message.notification_key)
            .values_list("sent_at", flat=True)
            .first()
            if message.notification_key
            else None
        )
        judged = delivery_judge(
            rule=RETRIEVAL,
            state=town.state,
            provided_at=message.provided_at,
            first_opened_at=None,
            notified_at=notified_at,
            today=today,
        )
        if not judged.fell_back:
            continue
        with transaction.atomic():
            changed = Message.objects.filter(
                pk=message.pk, first_opened_at__isnull=True, fell_back_at__isnull=True
            ).update(fell_back_at=now)
            if changed:
                letter = person_message_enqueue(
                    key=f"{FALLBACK_LETTER}:{message.public_id}",
                    recipient=message.owner,
                    kinds_by_channel={"letter": FALLBACK_LETTER},
                    context={"message": str(message.public_id)},
                )
                audit_record(
                    town=town,
                    actor=Actor.system("mailbox"),
                    action="mailbox.message.fallback",
                    target=str(message.public_id),
                    after={
                        "fallback_due_on": str(judged.fallback_due_on),
                        "letter": "" if letter.letter_needed else letter.channel,
                    },
                )
                marked.append(str(message.public_id))
    return marked
