"""Reads of the news module, in the current town's schema."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.selectors import message_counts_by_group

from .delivery import post_group
from .models import Post, Subscriber, Topic


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
    """How a post's e-mails fared (from the outbox), and how many left through its link."""

    recipients: int
    waiting: int
    sent: int
    failed: int  # refused by the recipient's mail server, or given up
    unconfirmed: int
    skipped: int
    unsubscribed: int


def _stats(counts: dict[str, int], unsubscribed: int) -> DeliveryStats:
    state = OutboxMessage.State
    return DeliveryStats(
        recipients=sum(counts.values()),
        waiting=counts[state.PENDING] + counts[state.SENDING],
        sent=counts[state.SENT],
        failed=counts[state.FAILED],
        unconfirmed=counts[state.UNCONFIRMED],
        skipped=counts[state.SKIPPED],
        unsubscribed=unsubscribed,
    )


def _unsubscribed(posts: Sequence[Post]) -> dict[int, int]:
    rows: Any = (  # the stubs type values() rows without the annotated count
        Subscriber.objects.filter(unsubscribed_post__in=posts, unsubscribed_at__isnull=False)
        .order_by()
        .values("unsubscribed_post")
        .annotate(n=Count("pk"))
    )
    return {row["unsubscribed_post"]: row["n"] for row in rows}


def post_stats(*, post: Post) -> DeliveryStats:
    """How the post's e-mails fared: two queries."""
    return posts_stats(posts=[post])[post.pk]


def posts_stats(*, posts: Sequence[Post]) -> dict[int, DeliveryStats]:
    """``post_stats`` of many posts: two queries, however many posts."""
    groups = {post.pk: post_group(post_id=post.pk) for post in posts}
    counts = message_counts_by_group(groups=list(groups.values()))
    unsubscribed = _unsubscribed(posts)
    return {pk: _stats(counts[group], unsubscribed.get(pk, 0)) for pk, group in groups.items()}


def posts_with_stats(*, limit: int = 100) -> list[tuple[Post, DeliveryStats]]:
    """The newest posts with their delivery figures: three queries, however many posts."""
    posts = list(Post.objects.prefetch_related("topics").order_by("-created_at")[:limit])
    stats = posts_stats(posts=posts)
    return [(post, stats[post.pk]) for post in posts]
