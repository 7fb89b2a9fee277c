"""RSS and Atom feeds of a town's published posts, for all topics or one."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality

from .models import Post, Topic
from .selectors import published_posts

FEED_LENGTH = 30


@dataclass(frozen=True)
class Source:
    """What a feed shows; the Feed instance is shared by all requests, so it keeps no state."""

    town: Municipality
    topic: Topic | None


class PostsFeed(Feed):
    def get_object(self, request: HttpRequest, slug: str | None = None) -> Source:
        topic = get_object_or_404(Topic, slug=slug) if slug else None
        return Source(town=current_town(), topic=topic)

    def title(self, obj: Source) -> str:
        if obj.topic is None:
            return _("%(town)s: Neuigkeiten") % {"town": obj.town.name}
        return _("%(town)s: %(topic)s") % {"town": obj.town.name, "topic": obj.topic.name}

    def link(self, obj: Source) -> str:
        return reverse("news:topic", args=[obj.topic.slug]) if obj.topic else reverse("news:index")

    def description(self, obj: Source) -> str:
        return obj.topic.description if obj.topic and obj.topic.description else self.title(obj)

    def items(self, obj: Source) -> list[Post]:
        return list(published_posts(topic=obj.topic)[:FEED_LENGTH])

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.body

    def item_link(self, item: Post) -> str:
        return reverse("news:post", args=[item.pk])

    def item_pubdate(self, item: Post) -> datetime | None:
        return item.published_at

    def item_categories(self, item: Post) -> list[str]:
        return [topic.name for topic in item.topics.all()]


class PostsAtomFeed(PostsFeed):
    feed_type = Atom1Feed

    def subtitle(self, obj: Source) -> str:
        return self.description(obj)
