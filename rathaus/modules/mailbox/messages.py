"""The notification e-mail: something arrived in the mailbox, never what."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import MessageKind, Rendered, kinds
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url

from .models import Message
from .services import NOTIFICATION


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
