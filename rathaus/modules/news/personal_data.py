"""What the news module keeps on a person, for "Meine Daten" and account deletion.

A person is the account's subscriber and any address-only subscription of the
account's e-mail address, the e-mails sent to them (deliveries), a double
opt-in e-mail still waiting to go out, and, for staff, the posts they wrote.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from rathaus.platform.identity.models import User

from .models import Delivery, OptInMail, Post, Subscriber


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _subscribers_of(user: User) -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(Q(user_id=user.pk) | Q(email__iexact=user.email.strip()))


def _deliveries_of(user: User) -> QuerySet[Delivery]:
    return Delivery.objects.filter(
        Q(subscriber__in=_subscribers_of(user)) | Q(email__iexact=user.email.strip())
    )


def subscriptions_data_export(*, user: User) -> dict[str, Any]:
    """The person's subscriptions with their topics, the e-mails sent to them, a pending
    opt-in, and the posts they wrote."""
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
        "emails_sent": [
            {
                "post": title,
                "email": email,
                "status": status,
                "sent_at": _iso(sent_at),
                "unsubscribed_at": _iso(unsubscribed_at),
            }
            for title, email, status, sent_at, unsubscribed_at in _deliveries_of(user)
            .order_by("pk")
            .values_list("post__title", "email", "status", "sent_at", "unsubscribed_at")
        ],
        "pending_confirmations": [
            {"email": email, "requested_at": _iso(created_at)}
            for email, created_at in OptInMail.objects.filter(email__iexact=user.email.strip())
            .order_by("pk")
            .values_list("email", "created_at")
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
    """Deletes the person's subscriptions (and so their deliveries) and a pending opt-in;
    their posts stay, as the town's, without their author."""
    _deliveries_of(user).delete()
    _subscribers_of(user).delete()
    OptInMail.objects.filter(email__iexact=user.email.strip()).delete()
    Post.objects.filter(created_by_id=user.pk).update(created_by=None)
