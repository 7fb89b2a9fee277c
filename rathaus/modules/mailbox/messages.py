"""The mailbox's outbox kinds: the notification e-mail (something arrived, never what) and
the letter a notice becomes when it was not retrieved in time."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import Attachment, MessageKind, Rendered, kinds
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url

from .models import Message
from .services import FALLBACK_LETTER, NOTIFICATION, NOTIFICATION_SMS, PDF


@kinds.register(NOTIFICATION)
class NotificationMessage(MessageKind):
    """ "Neue Nachricht in Ihrem Postfach": a link to log in; no subject, sender or content."""

    channel = "email"
    label = gettext_lazy("Benachrichtigung über eine neue Postfachnachricht")

    def render(self, message: OutboxMessage) -> Rendered | None:
        if not Message.objects.filter(public_id=message.context.get("message")).exists():
            return None  # erased since
        town = current_town()
        body = render_to_string(
            "mailbox/email/notification.txt",
            {"town": town, "url": town_url(town=town, path=reverse("mailbox:index"))},
        )
        subject = gettext("Neue Nachricht in Ihrem Postfach bei %(town)s") % {"town": town.name}
        return Rendered(subject=subject, body=body)


@kinds.register(NOTIFICATION_SMS)
class NotificationSms(MessageKind):
    """The same news as the e-mail, by SMS for those who chose it: the town and the link."""

    channel = "sms"
    label = gettext_lazy("SMS über eine neue Postfachnachricht")

    def render(self, message: OutboxMessage) -> Rendered | None:
        if not Message.objects.filter(public_id=message.context.get("message")).exists():
            return None  # erased since
        town = current_town()
        url = town_url(town=town, path=reverse("mailbox:index"))
        return Rendered(
            body=gettext("Neue Nachricht in Ihrem Postfach bei %(town)s: %(url)s")
            % {"town": town.name, "url": url}
        )


@kinds.register(FALLBACK_LETTER)
class FallbackLetter(MessageKind):
    """A notice not retrieved in time, as a letter: its PDFs behind a cover page."""

    channel = "letter"
    label = gettext_lazy("Nicht abgerufener Bescheid als Brief")

    def render(self, message: OutboxMessage) -> Rendered | None:
        found = Message.objects.filter(public_id=message.context.get("message")).first()
        if found is None or found.first_opened_at is not None:
            return None  # erased, or opened after all
        storage = private_storage()
        attachments = []
        for document in found.documents.filter(reply__isnull=True, content_type="application/pdf"):
            with storage.open(document.stored_name, "rb") as file:
                attachments.append(
                    Attachment(filename=document.filename, content=file.read(), mimetype=PDF)
                )
        body = gettext(
            "Sehr geehrte Damen und Herren,\n\n"
            "dieser Bescheid wurde Ihnen am %(date)s in Ihrem Postfach bereitgestellt und "
            "dort nicht abgerufen. Wir senden ihn Ihnen deshalb als Brief; er liegt bei."
        ) % {"date": found.provided_at.strftime("%d.%m.%Y")}
        return Rendered(
            subject=found.subject,
            body=body,
            headers={"Letter-Cover": "yes"},
            attachments=tuple(attachments),
        )
