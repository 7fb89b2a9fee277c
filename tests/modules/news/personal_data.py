"""A person's news data, for the module contract's conformance test (and these tests)."""

from django.utils import timezone

from rathaus.modules.news.models import Delivery, OptInMail, Post, Subscriber, Topic
from rathaus.platform.identity.models import User


def create_personal_data(user: User) -> None:
    """In the current town: the account's subscription to a topic, a post e-mailed to it, a
    double opt-in e-mail waiting for the account's address, and a post the person wrote."""
    topic, _created = Topic.objects.get_or_create(name="Freibad", slug="freibad")
    subscriber = Subscriber.objects.create(
        email=user.email.lower(), user=user, confirmed_at=timezone.now()
    )
    subscriber.topics.add(topic)
    post = Post.objects.create(
        title=f"Freibad öffnet ({user.email})",
        body="Ab Samstag ist das Freibad wieder geöffnet.",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
        created_by=user,
    )
    post.topics.add(topic)
    Delivery.objects.create(
        post=post,
        subscriber=subscriber,
        email=subscriber.email,
        status=Delivery.Status.SENT,
        sent_at=timezone.now(),
    )
    OptInMail.objects.create(email=user.email.upper(), topic_ids=[topic.pk], language="de")
