"""Reads of the news module, in the current town's schema."""

from dataclasses import dataclass
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from rathaus.tenants.models import Municipality

from .models import Delivery, Post, Subscriber, Topic


def topic_list() -> QuerySet[Topic]:
    return Topic.objects.order_by("name")


def published_posts(*, topic: Topic | None = None) -> QuerySet[Post]:
    """Published posts, newest first; only those of ``topic`` if given."""
    posts = Post.objects.filter(status=Post.Status.PUBLISHED).prefetch_related("topics")
    if topic is not None:
        posts = posts.filter(topics=topic)
    return posts.order_by("-published_at", "-pk")


def subscriber_for_user(*, user: Any) -> Subscriber | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Subscriber.objects.filter(user=user).prefetch_related("topics").first()


def subscribed_topic_ids(*, user: Any) -> set[int]:
    """The topics the user receives now (none while unsubscribed)."""
    subscriber = subscriber_for_user(user=user)
    if subscriber is None or not subscriber.is_receiving:
        return set()
    return {topic.pk for topic in subscriber.topics.all()}


@dataclass(frozen=True)
class DeliveryStats:
    recipients: int
    waiting: int
    sent: int
    bounced: int
    failed: int
    unconfirmed: int
    skipped: int
    unsubscribed: int


def _delivery_counts() -> dict[str, Count]:
    status = Delivery.Status
    return {
        "recipients": Count("pk"),
        "waiting": Count(
            "pk", filter=Q(status__in=[status.PENDING, status.CLAIMED, status.SENDING])
        ),
        "sent": Count("pk", filter=Q(status=status.SENT)),
        "bounced": Count("pk", filter=Q(status=status.BOUNCED)),
        "failed": Count("pk", filter=Q(status=status.FAILED)),
        "unconfirmed": Count("pk", filter=Q(status=status.UNCONFIRMED)),
        "skipped": Count("pk", filter=Q(status=status.SKIPPED)),
        "unsubscribed": Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    }


def post_stats(*, post: Post) -> DeliveryStats:
    """How the post's e-mails fared, in one query."""
    return DeliveryStats(**Delivery.objects.filter(post=post).aggregate(**_delivery_counts()))


def posts_with_stats(*, limit: int = 100) -> list[tuple[Post, DeliveryStats]]:
    """The newest posts with their delivery figures: two queries, however many posts."""
    posts = list(Post.objects.prefetch_related("topics").order_by("-created_at")[:limit])
    counts = _delivery_counts()
    rows: Any = (  # the stubs type values() rows without the annotated counts
        Delivery.objects.filter(post__in=posts).order_by().values("post").annotate(**counts)
    )
    stats = {row["post"]: DeliveryStats(**{name: row[name] for name in counts}) for row in rows}
    none = DeliveryStats(0, 0, 0, 0, 0, 0, 0, 0)
    return [(post, stats.get(post.pk, none)) for post in posts]


def town_sender(*, town: Municipality) -> str:
    """The From header of the town's news e-mails: its name and the platform's address."""
    return formataddr((town.name, settings.DEFAULT_FROM_EMAIL))
