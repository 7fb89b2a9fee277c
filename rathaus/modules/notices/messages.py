"""The outbox kinds of a notice: into the mailbox, or as a letter to print.

Both render the recipient's letter at send time from its id (``context``), a
batch at a time (one template and letterhead per batch); a recipient erased
since renders ``None`` (skipped).
"""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import Attachment, MessageKind, Rendered, kinds

from .letters import placeholders_fill
from .models import Recipient
from .render import letterhead_for, placeholder_values, recipient_letter
from .services import LETTER_KIND, MAILBOX_KIND

PDF = "application/pdf"


def _recipients(messages: Sequence[OutboxMessage]) -> dict[int, Recipient]:
    ids = [int(message.context.get("recipient") or 0) for message in messages]
    found = Recipient.objects.select_related("run__template").filter(pk__in=ids)
    return {recipient.pk: recipient for recipient in found}


class _NoticeKind(MessageKind):
    def render(self, message: OutboxMessage) -> Rendered | None:
        return self.render_batch([message])[0]

    def render_batch(self, messages: Sequence[OutboxMessage]) -> list[Rendered | None]:
        recipients = _recipients(messages)
        heads: dict[int, object] = {}
        out: list[Rendered | None] = []
        for message in messages:
            recipient = recipients.get(int(message.context.get("recipient") or 0))
            if recipient is None:
                out.append(None)
                continue
            template = recipient.run.template
            head = heads.setdefault(template.pk, letterhead_for(template))
            letter = recipient_letter(recipient=recipient, head=head)  # type: ignore[arg-type]
            values = placeholder_values(
                name=recipient.name, recipient_key=recipient.recipient_key, values=recipient.values
            )
            subject = placeholders_fill(template.subject, values)
            out.append(
                Rendered(
                    subject=subject,
                    body=self.body(subject=subject, office=template.office),
                    headers={
                        "Mailbox-Kind": "notice",
                        "Mailbox-Sender": template.office or head.authority,  # type: ignore[attr-defined]
                        "Mailbox-Reference": recipient.recipient_key[:60],
                    },
                    attachments=(
                        Attachment(filename="bescheid.pdf", content=letter.pdf, mimetype=PDF),
                    ),
                )
            )
        return out

    def body(self, *, subject: str, office: str) -> str:
        return str(gettext_lazy("Ihr Bescheid liegt als PDF-Dokument bei."))


@kinds.register(MAILBOX_KIND)
class NoticeToMailbox(_NoticeKind):
    """A notice of a run, provided in the recipient's mailbox (a PDF document)."""

    channel = "mailbox"
    label = gettext_lazy("Bescheid aus einem Versandlauf (Postfach)")


@kinds.register(LETTER_KIND)
class NoticeByLetter(_NoticeKind):
    """A notice of a run, printed and posted by the print partner."""

    channel = "letter"
    label = gettext_lazy("Bescheid aus einem Versandlauf (Brief)")
