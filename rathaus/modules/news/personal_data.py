"""What the news module keeps on a person, for "Meine Daten" and account deletion.

A person is the account's subscriber and any address-only subscription of the
account's e-mail address and, for staff, the posts they wrote. The e-mails sent to
them (posts, the double opt-in) are the outbox's and in its own section.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from rathaus.platform.identity.models import User
from rathaus.platform.identity.selectors import account_proven_email

from .models import Post, Subscriber


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _subscribers_of(user: User) -> QuerySet[Subscriber]:
    """The account's subscriber, and an address-only one under an address the person proved."""
    mine = Q(user_id=user.pk)
    if email := account_proven_email(user=user):
        mine |= Q(email__iexact=email)
    return Subscriber.objects.filter(mine)


def subscriptions_data_export(*, user: User) -> dict[str, Any]:
    """The person's subscriptions with their topics, and the posts they wrote."""
    subscribers = _subscribers_of(user).prefetch_related("topics").order_by("pk")
    return {
        "subscriptions": [
            {
                "email": subscriber.email,
                "topics": sorted(topic.name for topic in subscriber.topics.all()),
                "subscribed_at": _iso(subscriber.created_at),
                "confirmed_at": _iso(subscriber.confirmed_at),
                "unsubscribed_at": _iso(subscriber.unsubscribed_at),
            }
            for subscriber in subscribers
        ],
        "posts_written": [
            {"title": title, "created_at": _iso(created_at)}
            for title, created_at in Post.objects.filter(created_by_id=user.pk)
            .order_by("pk")
            .values_list("title", "created_at")
        ],
    }


@transaction.atomic
def subscriptions_data_erase(*, user: User) -> None:
    """Deletes the person's subscriptions; their posts stay, as the town's, without their
    author. (Waiting e-mails to the address are dropped by the outbox's own section.)"""
    _subscribers_of(user).delete()
    Post.objects.filter(created_by_id=user.pk).update(created_by=None)
