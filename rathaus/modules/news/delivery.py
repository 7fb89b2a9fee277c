"""The e-mail fan-out of a published post, through the platform's outbox.

How a post reaches 10,000 subscribers without anyone getting it twice:

1. ``post_deliveries_create`` writes one outbox row per receiving subscriber of
   the post's topics, in the group ``news.post:<id>``, in a single
   ``INSERT ... SELECT`` in the transaction that publishes the post; the key
   (post, subscriber) makes this idempotent.
2. Once that commits, the group's rows are queued in batches
   (``messaging.deliver_batch``); beat's ``messaging.requeue`` queues again what a
   lost task left waiting.
3. The outbox claims a batch, renders the post once for it (``PostMessage``),
   opens one SMTP connection and marks every row ``sending`` and then ``sent``,
   each in the same statement as the next row's mark: a crash leaves at most one
   row per batch ``unconfirmed`` (it may have gone out, so it is never sent
   again), and everything still waiting is sent by the next run. A subscriber
   who left before their turn is skipped.
"""

from collections.abc import Sequence

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, JSONObject
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import MessageKind, Rendered, kinds
from rathaus.platform.messaging.services import messages_enqueue_from
from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

from .models import Post, Subscriber
from .tokens import unsubscribe_token

KIND = "news.post"
_TOKEN = "UNSUBSCRIBE-TOKEN"  # noqa: S105 (a placeholder, no secret); in the rendered body, one render per batch


def post_group(*, post_id: int) -> str:
    """The outbox group of a post's e-mails, e.g. ``news.post:17``."""
    return f"{KIND}:{post_id}"


def post_deliveries_create(*, post: Post) -> int:
    """One waiting e-mail per receiving subscriber of any of the post's topics, in one
    statement; returns how many are new (running it again adds none)."""
    receiving = Subscriber.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True, topics__posts=post
    ).distinct()
    return messages_enqueue_from(
        kind=KIND,
        group=post_group(post_id=post.pk),
        rows=receiving,
        key=Concat(
            Value(f"{post_group(post_id=post.pk)}:"),
            Cast("pk", output_field=CharField()),
            output_field=CharField(),
        ),
        address=F("email"),
        recipient=F("user_id"),
        context=JSONObject(post=Value(post.pk), subscriber=F("pk")),
        language=F("language"),
    )


class PostMailer:
    """Builds the post's e-mail for each subscriber; the body is rendered once."""

    def __init__(self, *, town: Municipality, post: Post) -> None:
        self.post = post
        self.town = town
        base = town_url(town=town, path="")
        self.subject = f"{town.name}: {post.title}"
        self.unsubscribe_prefix = base + reverse("news:unsubscribe", kwargs={"token": _TOKEN})
        self.body = render_to_string(
            "news/email/post.txt",
            {
                "town": town,
                "post": post,
                "topics": list(post.topics.all()),
                "post_url": base + reverse("news:post", kwargs={"pk": post.pk}),
                "manage_url": base + reverse("news:index"),
                "unsubscribe_url": self.unsubscribe_prefix,
            },
        )

    def build(self, *, subscriber_id: int) -> Rendered:
        token = unsubscribe_token(subscriber_id=subscriber_id, post_id=self.post.pk, town=self.town)
        url = self.unsubscribe_prefix.replace(_TOKEN, token)
        return Rendered(
            subject=self.subject,
            body=self.body.replace(self.unsubscribe_prefix, url),
            headers={
                # RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe.
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Precedence": "bulk",
            },
        )


@kinds.register(KIND)
class PostMessage(MessageKind):
    """A published post to one subscriber; nothing for someone who left before their turn."""

    channel = "email"
    label = gettext_lazy("Neuigkeit per E-Mail")

    def render(self, message: OutboxMessage) -> Rendered | None:
        return self.render_batch([message])[0]

    def render_batch(self, messages: Sequence[OutboxMessage]) -> list[Rendered | None]:
        town = current_town()
        post_ids = {int(m.context.get("post", 0)) for m in messages}
        posts = {
            post.pk: post
            for post in Post.objects.filter(
                pk__in=post_ids, status=Post.Status.PUBLISHED
            ).prefetch_related("topics")
        }
        receiving = dict(
            Subscriber.objects.filter(
                pk__in=[m.context.get("subscriber") for m in messages],
                confirmed_at__isnull=False,
                unsubscribed_at__isnull=True,
            ).values_list("pk", "email")
        )
        mailers: dict[int, PostMailer] = {}
        rendered: list[Rendered | None] = []
        for message in messages:
            post = posts.get(int(message.context.get("post", 0)))
            subscriber_id = int(message.context.get("subscriber", 0))
            if post is None or receiving.get(subscriber_id) != message.address:
                rendered.append(None)  # unpublished, or the subscriber left or moved
                continue
            if post.pk not in mailers:
                mailers[post.pk] = PostMailer(town=town, post=post)
            rendered.append(mailers[post.pk].build(subscriber_id=subscriber_id))
        return rendered
