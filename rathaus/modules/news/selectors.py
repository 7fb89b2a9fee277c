"""Reads of the news module, in the current town's schema."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from rathaus.tenants.models import Domain, Municipality

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


def post_stats(*, post: Post) -> DeliveryStats:
    """How the post's e-mails fared, in one query."""
    status = Delivery.Status
    counts = Delivery.objects.filter(post=post).aggregate(
        recipients=Count("pk"),
        waiting=Count("pk", filter=Q(status__in=[status.PENDING, status.CLAIMED, status.SENDING])),
        sent=Count("pk", filter=Q(status=status.SENT)),
        bounced=Count("pk", filter=Q(status=status.BOUNCED)),
        failed=Count("pk", filter=Q(status=status.FAILED)),
        unconfirmed=Count("pk", filter=Q(status=status.UNCONFIRMED)),
        skipped=Count("pk", filter=Q(status=status.SKIPPED)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    return DeliveryStats(**counts)


def town_base_url(*, town: Municipality) -> str:
    """``scheme://host[:port]`` of the town's primary host, for links in e-mails."""
    domain = (
        Domain.objects.filter(tenant=town)
        .order_by("-is_primary", "pk")
        .values_list("domain", flat=True)
    ).first() or town.slug
    port = f":{settings.PUBLIC_URL_PORT}" if settings.PUBLIC_URL_PORT else ""
    return f"{settings.PUBLIC_URL_SCHEME}://{domain}{port}"
