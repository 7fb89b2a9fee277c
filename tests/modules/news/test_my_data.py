"""A person's subscriptions in "Meine Daten", in "Mein Rathaus", and after deleting the account."""

import json

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.news.delivery import post_deliveries_create
from rathaus.modules.news.models import Post, Subscriber
from rathaus.modules.news.services import subscription_set_topics
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.html import text_of
from tests.modules.news.conftest import log_in, make_post, make_subscribers, make_topic

ERIKA = "erika@example.org"


@pytest.fixture
def erika(news_a: Municipality) -> User:
    with tenant_context(news_a):
        return UserFactory.create(email=ERIKA)


def test_the_download_lists_subscriptions_with_topics_and_dates(
    client_a: Client, news_a: Municipality, erika: User
) -> None:
    pool = make_topic(news_a, "Freibad")
    roads = make_topic(news_a, "Straßenbau", "strassenbau")
    make_topic(news_a, "Kita")
    with tenant_context(news_a):
        subscription_set_topics(user=erika, topic_ids=[pool.pk, roads.pk])
    log_in(client_a, ERIKA)

    data = json.loads(client_a.get("/accounts/export/").content)["module:news"]

    [subscription] = data["subscriptions"]
    assert subscription["email"] == ERIKA
    assert subscription["topics"] == ["Freibad", "Straßenbau"]
    assert subscription["confirmed_at"]
    assert subscription["unsubscribed_at"] is None


def test_deleting_the_account_deletes_the_subscription_in_this_town_only(
    client_a: Client, news_a: Municipality, news_b: Municipality, erika: User
) -> None:
    pool = make_topic(news_a, "Freibad")
    [neighbour] = make_subscribers(news_a, pool, ["nachbar@example.org"])
    with tenant_context(news_a):
        subscription_set_topics(user=erika, topic_ids=[pool.pk])
    post = make_post(news_a, pool)
    with tenant_context(news_a):
        assert post_deliveries_create(post=post) == 2  # its e-mail to each subscriber waits
    [in_town_b] = make_subscribers(news_b, make_topic(news_b, "Freibad"), [ERIKA])
    log_in(client_a, ERIKA)

    client_a.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})

    with tenant_context(news_a):
        assert not Subscriber.objects.filter(email=ERIKA).exists()
        to_erika = OutboxMessage.objects.filter(address__iexact=ERIKA)
        assert not to_erika.exists()  # the outbox forgot her address
        assert OutboxMessage.objects.filter(address=neighbour.email).count() == 1
        assert Post.objects.filter(pk=post.pk).exists()
    with tenant_context(news_b):
        assert Subscriber.objects.filter(pk=in_town_b.pk).exists()


def test_mein_rathaus_links_to_my_topics_and_names_them(
    client_a: Client, news_a: Municipality, erika: User
) -> None:
    pool = make_topic(news_a, "Freibad")
    roads = make_topic(news_a, "Straßenbau", "strassenbau")
    log_in(client_a, ERIKA)

    page = client_a.get("/accounts/").content.decode()
    assert 'href="/news/account/">Meine Themen</a>' in page
    assert "Meine Themen Noch keine Themen gewählt" in text_of(page)

    with tenant_context(news_a):
        subscription_set_topics(user=erika, topic_ids=[roads.pk, pool.pk])

    page = client_a.get("/accounts/").content.decode()
    assert "Meine Themen Freibad, Straßenbau" in text_of(page)


def test_an_account_with_an_unconfirmed_address_gets_nothing_of_an_address_only_subscription(
    client_a: Client, news_a: Municipality
) -> None:
    """Anyone can register with someone else's address: until it is confirmed, a subscription
    under it is neither shown to nor deleted with that account."""
    [theirs] = make_subscribers(news_a, make_topic(news_a, "Freibad"), [ERIKA])
    with tenant_context(news_a):
        UserFactory.create(email=ERIKA)  # registered, address not confirmed
    log_in(client_a, ERIKA)

    data = json.loads(client_a.get("/accounts/export/").content)["module:news"]
    client_a.post("/accounts/delete/", {"password": PASSWORD, "confirm": "on"})

    assert data["subscriptions"] == []
    with tenant_context(news_a):
        assert Subscriber.objects.filter(pk=theirs.pk).exists()
