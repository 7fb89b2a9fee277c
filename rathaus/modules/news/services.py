"""Writes of the news module: topics, posts, publishing and subscriptions.

Every function works in the current town's schema; ``town`` is passed for
the audit log and for links in e-mails.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import message_enqueue, messages_queue_group_on_commit
from rathaus.tenants.models import Municipality

from . import opt_in
from .delivery import post_deliveries_create, post_group
from .models import Post, Subscriber, Topic
from .tokens import BadToken, read_confirm_token, read_unsubscribe_token

# --- topics ---------------------------------------------------------------------


def _unique_slug(name: str) -> str:
    base = slugify(name)[:90] or "thema"
    slug, n = base, 2
    while Topic.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def topic_create(*, town: Municipality, name: str, description: str = "", actor: Actor) -> Topic:
    name = name.strip()
    if Topic.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("Ein Thema mit diesem Namen gibt es schon.")})
    topic = Topic(name=name, description=description.strip(), slug=_unique_slug(name))
    topic.full_clean()
    topic.save()
    audit_record(town=town, actor=actor, action="news.topic.create", target=topic.slug)
    return topic


@transaction.atomic
def topic_update(
    *, town: Municipality, topic: Topic, name: str, description: str, actor: Actor
) -> Topic:
    name = name.strip()
    if Topic.objects.filter(name__iexact=name).exclude(pk=topic.pk).exists():
        raise ValidationError({"name": _("Ein Thema mit diesem Namen gibt es schon.")})
    before = {"name": topic.name, "description": topic.description}
    topic.name, topic.description = name, description.strip()
    topic.full_clean()
    topic.save()
    after = {"name": topic.name, "description": topic.description}
    audit_record(
        town=town,
        actor=actor,
        action="news.topic.update",
        target=topic.slug,
        before=before,
        after=after,
    )
    return topic


# --- posts ----------------------------------------------------------------------


def _check_topics(topics: list[Topic]) -> None:
    if not topics:
        raise ValidationError({"topics": _("Bitte mindestens ein Thema wählen.")})


@transaction.atomic
def post_create(
    *,
    town: Municipality,
    title: str,
    body: str,
    topics: Iterable[Topic],
    attachment: UploadedFile | None = None,
    publish_at: datetime | None = None,
    publish_now: bool = False,
    actor: Actor,
    author: Any = None,
) -> Post:
    """Writes a post: a draft, scheduled for ``publish_at``, or published at once."""
    topics = list(topics)
    _check_topics(topics)
    post = Post(title=title.strip(), body=body, created_by=author)
    if attachment is not None:
        post.attachment = attachment
    post.full_clean(exclude=["topics"])
    post.save()
    post.topics.set(topics)
    audit_record(town=town, actor=actor, action="news.post.create", target=str(post.pk))
    if publish_now:
        post_publish(town=town, post=post, actor=actor)
    elif publish_at is not None:
        post_schedule(town=town, post=post, publish_at=publish_at, actor=actor)
    return post


@transaction.atomic
def post_schedule(*, town: Municipality, post: Post, publish_at: datetime, actor: Actor) -> Post:
    """Publishes the post at ``publish_at`` (beat checks every minute)."""
    if post.status == Post.Status.PUBLISHED:
        raise ValidationError(_("Der Beitrag ist schon veröffentlicht."))
    post.status, post.publish_at = Post.Status.SCHEDULED, publish_at
    post.save(update_fields=["status", "publish_at"])
    audit_record(
        town=town,
        actor=actor,
        action="news.post.schedule",
        target=str(post.pk),
        after=publish_at.isoformat(),
    )
    return post


def post_publish(*, town: Municipality, post: Post, actor: Actor) -> Post:
    """Publishes the post now, with its e-mail to every subscriber of its topics.

    The e-mails are written in the same transaction (one ``INSERT ... SELECT``, see
    ``delivery``) and sent in batches once it commits; should the broker be down
    then, the outbox's beat sends them. Publishing twice does nothing the second time.
    """
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.status == Post.Status.PUBLISHED:
            return locked
        if not locked.topics.exists():
            raise ValidationError({"topics": _("Bitte mindestens ein Thema wählen.")})
        locked.status, locked.published_at = Post.Status.PUBLISHED, timezone.now()
        locked.save(update_fields=["status", "published_at"])
        audit_record(town=town, actor=actor, action="news.post.publish", target=str(post.pk))
        post_deliveries_create(post=locked)
        messages_queue_group_on_commit(group=post_group(post_id=locked.pk))
    post.status, post.published_at = locked.status, locked.published_at
    return locked


def posts_publish_due(*, town: Municipality) -> list[int]:
    """Publishes every scheduled post whose time has come; safe to run in parallel and again."""
    published = []
    with transaction.atomic():
        due = (
            Post.objects.select_for_update(skip_locked=True)
            .filter(status=Post.Status.SCHEDULED, publish_at__lte=timezone.now())
            .order_by("publish_at")
        )
        for post in due:
            post_publish(town=town, post=post, actor=Actor.system("news.schedule"))
            published.append(post.pk)
    return published


# --- subscriptions --------------------------------------------------------------


def _topics_by_id(topic_ids: Iterable[int]) -> list[Topic]:
    ids = set(topic_ids)
    topics = list(Topic.objects.filter(pk__in=ids))
    if len(topics) != len(ids):
        raise ValidationError({"topics": _("Unbekanntes Thema.")})
    return topics


def subscription_request(
    *, town: Municipality, email: str, topic_ids: Iterable[int]
) -> OutboxMessage:
    """Queues the double opt-in e-mail; nothing is subscribed until its link is confirmed.

    The outbox sends it once this is committed, in the visitor's language, and then
    forgets the address (see ``opt_in``). The answer is the same whether or not the
    address already subscribes, so nobody learns who does.
    """
    topics = _topics_by_id(topic_ids)
    _check_topics(topics)
    return message_enqueue(
        # Every request its own e-mail; how often one may ask is the page's limit.
        key=f"{opt_in.KIND}:{uuid.uuid4().hex}",
        kind=opt_in.KIND,
        address=email.strip().lower(),
        context={"topics": sorted(topic.pk for topic in topics)},
    )


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


@transaction.atomic
def subscription_confirm(*, token: str) -> Subscriber:
    """Completes the double opt-in: the address receives the requested topics from now on."""
    request = read_confirm_token(token)
    topics = _topics_by_id(request.topic_ids) if request.topic_ids else []
    subscriber = Subscriber.objects.select_for_update().filter(email=request.email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=request.email)
        except IntegrityError:  # confirmed twice at the same moment
            subscriber = Subscriber.objects.select_for_update().get(email=request.email)
    if subscriber.unsubscribed_at is not None:
        # A new opt-in replaces what was chosen before leaving.
        subscriber.topics.clear()
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.unsubscribed_at = None
    subscriber.language = _language()
    subscriber.save(update_fields=["confirmed_at", "unsubscribed_at", "language"])
    subscriber.topics.add(*topics)
    return subscriber


@transaction.atomic
def subscription_set_topics(*, user: Any, topic_ids: Iterable[int]) -> Subscriber:
    """A citizen's account receives exactly ``topic_ids`` (empty: nothing).

    The account's address is known, so no opt-in e-mail is needed; an
    address-only subscription of the same address is taken over.
    """
    topics = _topics_by_id(topic_ids)
    subscriber = (
        Subscriber.objects.select_for_update().filter(user=user).first()
        or Subscriber.objects.select_for_update().filter(email=user.email.lower()).first()
        or Subscriber(email=user.email.lower())
    )
    subscriber.user = user
    subscriber.email = user.email.lower()
    subscriber.confirmed_at = subscriber.confirmed_at or timezone.now()
    subscriber.unsubscribed_at = None if topics else timezone.now()
    subscriber.language = _language()
    subscriber.save()
    subscriber.topics.set(topics)
    return subscriber


def unsubscribe(*, token: str) -> Subscriber:
    """One click: the subscriber receives nothing more; counted for the post that carried it.

    Raises ``BadToken`` for a forged link or one of another town.
    """
    subscriber_id, post_id = read_unsubscribe_token(token)
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None:
            raise BadToken("no such subscriber")
        if subscriber.unsubscribed_at is None:
            subscriber.unsubscribed_at = timezone.now()
            subscriber.unsubscribed_post = (
                Post.objects.filter(pk=post_id).first() if post_id else None
            )
            subscriber.save(update_fields=["unsubscribed_at", "unsubscribed_post"])
    return subscriber
