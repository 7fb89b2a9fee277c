"""The receipt e-mail of a sent application: a message kind of the platform's outbox."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import Attachment, MessageKind, Rendered, kinds
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url

from .definition import declarations_of, text_in
from .models import Submission
from .pdf import receipt_pdf
from .selectors import answers_by_step
from .services import RECEIPT


@kinds.register(RECEIPT)
class ReceiptMessage(MessageKind):
    """ "Ihr Antrag ist eingegangen": the case number and a copy of the answers."""

    channel = "email"
    label = gettext_lazy("Eingangsbestätigung eines Antrags")

    def render(self, message: OutboxMessage) -> Rendered | None:
        submission = (
            Submission.objects.select_related("form", "version")
            .filter(pk=int(message.context.get("submission", 0)))
            .first()
        )
        if submission is None or not submission.answers:
            return None  # gone or anonymised since
        town = current_town()
        definition = submission.version.definition
        title = text_in(definition["title"])
        body = render_to_string(
            "applications/email/receipt.txt",
            {
                "town": town,
                "title": title,
                "submission": submission,
                "when": formats.date_format(
                    timezone.localtime(submission.submitted_at), "d.m.Y, H:i"
                ),
                "steps": answers_by_step(definition=definition, answers=submission.answers),
                "declarations": [text_in(d["text"]) for d in declarations_of(definition)],
                "account_url": town_url(town=town, path=reverse("applications:account"))
                if submission.user_id
                else "",
            },
        )
        subject = gettext("Ihr Antrag „%(title)s“ ist eingegangen: %(reference)s") % {
            "title": title,
            "reference": submission.reference,
        }
        # The receipt as an accessible PDF (answers and attachments listed), made at send time.
        pdf = Attachment(
            filename=f"eingangsbestaetigung-{submission.reference}.pdf",
            content=receipt_pdf(town=town, submission=submission),
            mimetype="application/pdf",
        )
        return Rendered(subject=subject, body=body, attachments=(pdf,))
