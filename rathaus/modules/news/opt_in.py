"""The double opt-in e-mail: an outbox message that forgets its address once it is done.

``subscription_request`` (services) writes the message with the request; the
outbox sends it once after the commit, in the visitor's language, and then keeps
only its key and state (``keep_address = False``): no address is kept before its
owner confirms. Nothing goes out when the topics asked for were removed meanwhile
or the confirmation link would have run out already.
"""

from datetime import timedelta

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import MessageKind, Rendered, kinds
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url

from .models import Topic
from .tokens import CONFIRM_MAX_AGE, confirm_token

KIND = "news.opt_in"


@kinds.register(KIND)
class OptInMessage(MessageKind):
    channel = "email"
    label = gettext_lazy("Bestätigung eines Abonnements")
    keep_address = False

    def render(self, message: OutboxMessage) -> Rendered | None:
        if message.created_at < timezone.now() - timedelta(seconds=CONFIRM_MAX_AGE):
            return None  # its link would have run out already
        topic_ids = [int(pk) for pk in message.context.get("topics", [])]
        topics = list(Topic.objects.filter(pk__in=topic_ids).order_by("name"))
        if not topics:
            return None  # the topics were removed meanwhile: nothing left to confirm
        town = current_town()
        token = confirm_token(email=message.address, topic_ids=[topic.pk for topic in topics])
        base = town_url(town=town, path="")
        body = render_to_string(
            "news/email/confirm.txt",
            {
                "town": town,
                "topics": topics,
                "confirm_url": base + reverse("news:confirm", kwargs={"token": token}),
            },
        )
        subject = gettext("%(town)s: Bitte bestätigen Sie Ihr Abonnement") % {"town": town.name}
        return Rendered(subject=subject, body=body)
