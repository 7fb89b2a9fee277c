"""How long a message is kept, legal holds, and the nightly job that deletes what expired.

A message is kept for a number of years per kind (``MAILBOX_RETENTION_YEARS``; a
notice ten years, as the records of an authority's decisions are) counted from
the end of the year it was provided in: a notice of 2026 is kept until the end
of 2036 and deleted in 2037. A legal hold (``LegalHold``) stops the deletion
until it is lifted. Every deletion and every hold is in the town's audit log.
"""

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality

from .errors import MailboxError
from .models import Document, LegalHold, Message
from .services import files_delete

DEFAULT_YEARS: dict[str, int] = {Message.Kind.NOTICE.value: 10, Message.Kind.INFORMATION.value: 3}
REASON_MAX_LENGTH = 300


def retention_years(kind: str) -> int:
    """Years after the end of the providing year that a message of ``kind`` is kept."""
    configured: dict[str, int] = getattr(settings, "MAILBOX_RETENTION_YEARS", {})
    return int(configured.get(kind, DEFAULT_YEARS.get(kind, 10)))


def kept_until(message: Message) -> dt.date:
    """The last day the message is kept (31 December of its year plus the retention)."""
    year = timezone.localtime(message.provided_at).year
    return dt.date(year + retention_years(message.kind), 12, 31)


def legal_hold_set(*, town: Municipality, message: Message, reason: str, actor: Actor,
                   by: User | None = None) -> LegalHold:  # fmt: skip
    """Puts a legal hold on ``message`` (a second one changes nothing); audited."""
    reason = " ".join(reason.split())
    if not reason:
        raise MailboxError(_("Bitte nennen Sie den Grund der Löschsperre."))
    if len(reason) > REASON_MAX_LENGTH:
        raise MailboxError(
            _("Der Grund ist länger als %(limit)s Zeichen.") % {"limit": REASON_MAX_LENGTH}
        )
    with transaction.atomic():
        hold, created = LegalHold.objects.get_or_create(
            message=message, defaults={"reason": reason, "set_by": by}
        )
        if created:
            audit_record(
                town=town,
                actor=actor,
                action="mailbox.message.hold",
                target=str(message.public_id),
                after={"reason": reason},
            )
    return hold


def legal_hold_lift(*, town: Municipality, message: Message, actor: Actor) -> bool:
    """Lifts the legal hold on ``message``; returns whether there was one; audited."""
    with transaction.atomic():
        deleted, _rows = LegalHold.objects.filter(message=message).delete()
        if deleted:
            audit_record(
                town=town,
                actor=actor,
                action="mailbox.message.hold-lifted",
                target=str(message.public_id),
            )
    return bool(deleted)


def messages_expire(*, town: Municipality, today: dt.date | None = None) -> list[str]:
    """Nightly: deletes every message kept past its retention and not on hold, with its
    replies and files, and audits each (subject, reference, kind, provided at); returns
    the public ids deleted. Files go after the commit; running it again deletes nothing."""
    today = today or timezone.localdate()
    deleted: list[str] = []
    candidates = Message.objects.filter(legal_hold__isnull=True, provided_at__lt=_year_start(today))
    for message in candidates.order_by("pk").iterator():
        if kept_until(message) >= today:
            continue
        with transaction.atomic():
            # The lock also holds back a hold being set meanwhile (its row refers to this
            # one), so the check below sees every hold that will ever stand before the delete.
            locked = Message.objects.select_for_update().filter(pk=message.pk).first()
            if locked is None or LegalHold.objects.filter(message=locked).exists():
                continue  # gone, or held meanwhile
            names = list(
                Document.objects.filter(message=locked).values_list("stored_name", flat=True)
            )
            audit_record(
                town=town,
                actor=Actor.system("mailbox"),
                action="mailbox.message.expired",
                target=str(locked.public_id),
                before={
                    "kind": locked.kind,
                    "subject": locked.subject,
                    "reference": locked.reference,
                    "provided_at": locked.provided_at.isoformat(),
                    "documents": len(names),
                },
            )
            locked.delete()
            transaction.on_commit(partial(files_delete, names))
        deleted.append(str(message.public_id))
    return deleted


def _year_start(today: dt.date) -> dt.datetime:
    """Nothing provided this year can have expired: the query needs no row of it."""
    return timezone.make_aware(dt.datetime(today.year, 1, 1))
