"""The news data of a town as plain tables, for the offboarding archive."""

from typing import Any

from .models import Post, Subscriber, Topic


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def news_town_export() -> dict[str, list[dict[str, Any]]]:
    """Topics, posts (attachments are in the archive's ``files/``) and subscribers."""
    return {
        "topics": [
            {
                "id": topic.pk,
                "name": topic.name,
                "slug": topic.slug,
                "description": topic.description,
                "created_at": _iso(topic.created_at),
            }
            for topic in Topic.objects.order_by("pk")
        ],
        "posts": [
            {
                "id": post.pk,
                "title": post.title,
                "body": post.body,
                "attachment": post.attachment.name or "",
                "topics": sorted(topic.name for topic in post.topics.all()),
                "status": post.status,
                "publish_at": _iso(post.publish_at),
                "published_at": _iso(post.published_at),
                "created_at": _iso(post.created_at),
            }
            for post in Post.objects.prefetch_related("topics").order_by("pk")
        ],
        "subscribers": [
            {
                "email": subscriber.email,
                "has_account": subscriber.user_id is not None,
                "topics": sorted(topic.name for topic in subscriber.topics.all()),
                "confirmed_at": _iso(subscriber.confirmed_at),
                "unsubscribed_at": _iso(subscriber.unsubscribed_at),
                "created_at": _iso(subscriber.created_at),
            }
            for subscriber in Subscriber.objects.prefetch_related("topics").order_by("pk")
        ],
    }
