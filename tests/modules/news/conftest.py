"""Fixtures of the news tests: the module switched on, topics, subscribers, a staff editor."""

from collections.abc import Iterator

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.modules.news.models import Post, Subscriber, Topic
from rathaus.modules.news.opt_in import KIND as OPT_IN
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD
from tests.modules.conftest import switch_on
from tests.platform.messaging.helpers import deliver_waiting

SYSTEM = Actor.system("test")


@pytest.fixture
def news_a(town_a: Municipality) -> Municipality:
    switch_on(town_a, "news")
    return town_a


@pytest.fixture
def news_b(town_b: Municipality) -> Municipality:
    switch_on(town_b, "news")
    return town_b


def make_topic(town: Municipality, name: str, slug: str = "") -> Topic:
    with tenant_context(town):
        return Topic.objects.create(name=name, slug=slug or name.lower().replace(" ", "-"))


def make_subscribers(town: Municipality, topic: Topic, emails: list[str]) -> list[Subscriber]:
    """Confirmed subscribers of ``topic``, created in bulk."""
    with tenant_context(town):
        now = timezone.now()
        subscribers = Subscriber.objects.bulk_create(
            [Subscriber(email=email, confirmed_at=now) for email in emails]
        )
        Subscriber.topics.through.objects.bulk_create(
            [Subscriber.topics.through(subscriber=s, topic=topic) for s in subscribers]
        )
        return subscribers


def make_post(town: Municipality, topic: Topic, title: str = "Freibad heute geschlossen") -> Post:
    with tenant_context(town):
        post = Post.objects.create(
            title=title,
            body="Wegen des Gewitters bleibt das Freibad heute geschlossen.",
            status=Post.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        post.topics.add(topic)
        return post


def send_opt_in_mails(town: Municipality) -> list[mail.EmailMessage]:
    """Does what the outbox's worker does for every queued opt-in e-mail; returns what was sent."""
    before = len(mail.outbox)
    deliver_waiting(town, kinds=[OPT_IN])
    return list(mail.outbox[before:])


def opt_ins(town: Municipality) -> list[OutboxMessage]:
    """The town's opt-in e-mails in the outbox, oldest first."""
    with tenant_context(town):
        return list(OutboxMessage.objects.filter(kind=OPT_IN).order_by("pk"))


def log_in(client: Client, email: str) -> None:
    response = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()


def make_staff(
    town: Municipality, client: Client, roles: list[str], email: str = "redaktion@example.org"
) -> User:
    """A staff member with ``roles``, logged in with ``client``."""
    with tenant_context(town):
        user = staff_add(town=town, email=email, roles=roles, actor=SYSTEM)
        user.set_password(PASSWORD)
        user.save()
    log_in(client, email)
    return user


@pytest.fixture
def committed_news(
    towns: dict[str, Municipality], django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    """For tests with the real worker: data is committed, and removed afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield
        for town in towns.values():
            with tenant_context(town):
                OutboxMessage.objects.all().delete()
                Post.objects.all().delete()
                Subscriber.objects.all().delete()
                Topic.objects.all().delete()
