"""Citizens subscribe with double opt-in or from their account and leave with one click."""

import re

from django.core import mail, signing
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.news.models import Subscriber
from rathaus.modules.news.selectors import post_stats
from rathaus.modules.news.tokens import unsubscribe_token
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.news.conftest import (
    log_in,
    make_post,
    make_subscribers,
    make_topic,
    opt_ins,
    send_opt_in_mails,
)


def _link(body: object) -> str:
    match = re.search(r"http://[^/\s]+(/news/confirm/\S+/)", str(body))
    assert match, body
    return match.group(1)


def test_double_opt_in_stores_nothing_until_the_link_is_confirmed(
    client_a: Client, news_a: Municipality
) -> None:
    roads = make_topic(news_a, "Straßenbau", "strassenbau")

    response = client_a.post(
        "/news/subscribe/", {"email": "Erika@Example.org", "topics": [roads.pk]}
    )

    assert response.status_code == 200
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in response.content.decode()
    [sent] = send_opt_in_mails(news_a)  # what the worker does after the commit
    assert sent.to == ["erika@example.org"]
    link = _link(sent.body)
    with tenant_context(news_a):
        assert not Subscriber.objects.exists()
    # The address is not kept once the e-mail is out: the row keeps its key and state only.
    [opt_in] = opt_ins(news_a)
    assert (opt_in.state, opt_in.address, opt_in.context) == ("sent", "", {})

    # Opening the link (as a mail scanner would) changes nothing; the button does.
    page = client_a.get(link)
    assert page.status_code == 200
    assert "Straßenbau" in page.content.decode()
    with tenant_context(news_a):
        assert not Subscriber.objects.exists()

    done = client_a.post(link)

    assert "Ihr Abonnement ist bestätigt" in done.content.decode()
    with tenant_context(news_a):
        subscriber = Subscriber.objects.get(email="erika@example.org")
        assert subscriber.is_receiving
        assert [t.slug for t in subscriber.topics.all()] == ["strassenbau"]


def test_a_subscription_needs_a_topic_and_a_valid_address(
    client_a: Client, news_a: Municipality
) -> None:
    make_topic(news_a, "Abfall")

    response = client_a.post("/news/subscribe/", {"email": "keine-adresse"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Bitte mindestens ein Thema wählen." in html
    assert "gültige E-Mail Adresse" in html
    assert not mail.outbox


def test_a_damaged_or_foreign_confirmation_link_is_refused(
    client_a: Client, client_b: Client, news_a: Municipality, news_b: Municipality
) -> None:
    topic = make_topic(news_a, "Abfall")
    client_a.post("/news/subscribe/", {"email": "erika@example.org", "topics": [topic.pk]})
    [sent] = send_opt_in_mails(news_a)
    link = _link(sent.body)

    assert client_a.post(link[:-5] + "xxxx/").status_code == 400
    # Town A's link on town B's host does nothing there.
    assert client_b.post(link).status_code == 400
    with tenant_context(news_b):
        assert not Subscriber.objects.exists()


def test_a_citizen_manages_topics_from_the_account(client_a: Client, news_a: Municipality) -> None:
    roads = make_topic(news_a, "Straßenbau", "strassenbau")
    waste = make_topic(news_a, "Abfall")
    with tenant_context(news_a):
        UserFactory(email="max@example.org")
    log_in(client_a, "max@example.org")

    client_a.post("/news/account/", {"topics": [roads.pk, waste.pk]})

    page = client_a.get("/news/account/").content.decode()
    assert page.count("checked") == 2
    with tenant_context(news_a):
        assert Subscriber.objects.get(email="max@example.org").is_receiving

    client_a.post("/news/account/", {})

    with tenant_context(news_a):
        assert not Subscriber.objects.get(email="max@example.org").is_receiving
    assert "checked" not in client_a.get("/news/account/").content.decode()


def test_one_click_unsubscribe_works_without_csrf_token_or_login(
    news_a: Municipality,
) -> None:
    topic = make_topic(news_a, "Abfall")
    [subscriber] = make_subscribers(news_a, topic, ["erika@example.org"])
    post = make_post(news_a, topic)
    with tenant_context(news_a):
        token = unsubscribe_token(subscriber_id=subscriber.pk, post_id=post.pk)
    # A mail client: strict CSRF checks, no cookies, the RFC 8058 body.
    mail_client = Client(HTTP_HOST="tangerhuette.localhost", enforce_csrf_checks=True)

    response = mail_client.post(
        f"/news/unsubscribe/{token}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert "Sie sind abgemeldet" in response.content.decode()
    with tenant_context(news_a):
        subscriber.refresh_from_db()
        assert not subscriber.is_receiving
        assert post_stats(post=post).unsubscribed == 1
    # Clicking again is harmless.
    assert mail_client.post(f"/news/unsubscribe/{token}/").status_code == 200


def test_an_unsubscribe_link_of_one_town_does_nothing_in_another(
    client_b: Client, news_a: Municipality, news_b: Municipality
) -> None:
    topic_a = make_topic(news_a, "Abfall")
    topic_b = make_topic(news_b, "Abfall")
    [in_a] = make_subscribers(news_a, topic_a, ["erika@example.org"])
    [in_b] = make_subscribers(news_b, topic_b, ["erika@example.org"])
    with tenant_context(news_a):
        token = unsubscribe_token(subscriber_id=in_a.pk)

    response = client_b.post(f"/news/unsubscribe/{token}/")

    assert response.status_code == 400
    with tenant_context(news_b):
        in_b.refresh_from_db()
        assert in_b.is_receiving
    with tenant_context(news_a):
        in_a.refresh_from_db()
        assert in_a.is_receiving


def test_an_unsubscribe_link_from_an_e_mail_sent_before_the_town_salts_still_works(
    client_a: Client, client_b: Client, news_a: Municipality, news_b: Municipality
) -> None:
    [subscriber] = make_subscribers(news_a, make_topic(news_a, "Abfall"), ["alt@example.org"])
    # The format of unsubscribe links in e-mails sent before December 2026.
    old = signing.Signer(salt="rathaus.news.unsubscribe").sign(
        f"{news_a.schema_name}.{subscriber.pk}.0"
    )

    refused = client_b.post(f"/news/unsubscribe/{old}/").content.decode()
    assert "Dieser Link ist ungültig" in refused  # not on another town's host
    client_a.post(f"/news/unsubscribe/{old}/")

    with tenant_context(news_a):
        subscriber.refresh_from_db()
        assert subscriber.unsubscribed_at is not None
