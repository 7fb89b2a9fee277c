"""A person's news data, for the module contract's conformance test (and these tests)."""

from django.utils import timezone

from rathaus.modules.news.models import Post, Subscriber, Topic
from rathaus.platform.identity.models import User


def create_personal_data(user: User) -> None:
    """In the current town: the account's subscription to a topic and a post the person wrote."""
    topic, _created = Topic.objects.get_or_create(name="Freibad", slug="freibad")
    subscriber = Subscriber.objects.create(
        email=user.email.lower(), user=user, confirmed_at=timezone.now()
    )
    subscriber.topics.add(topic)
    post = Post.objects.create(
        title=f"Freibad öffnet (Beitrag {user.pk})",
        body="Ab Samstag ist das Freibad wieder geöffnet.",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
        created_by=user,
    )
    post.topics.add(topic)
