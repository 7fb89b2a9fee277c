"""Subscribing sends e-mail to any address: limited per e-mail address and per client address."""

from django.test import Client

from rathaus.modules.news.limits import SUBSCRIBE_PER_CLIENT, SUBSCRIBE_PER_EMAIL
from rathaus.modules.news.models import Topic
from rathaus.tenants.models import Municipality
from tests.modules.news.conftest import make_topic, opt_ins

PER_EMAIL = SUBSCRIBE_PER_EMAIL.count
PER_CLIENT = SUBSCRIBE_PER_CLIENT.count
TOO_MANY_FOR_THE_ADDRESS = "Für diese E-Mail-Adresse haben wir heute schon mehrere"
TOO_MANY_FROM_THE_CLIENT = "Von Ihrem Anschluss kamen in der letzten Stunde zu viele Anmeldungen"


def _queued(town: Municipality) -> int:
    return len(opt_ins(town))


def _page(client: Client, topic: Topic, email: str, ip: str = "192.0.2.1") -> tuple[int, str]:
    response = client.post(
        "/news/subscribe/", {"email": email, "topics": [topic.pk]}, REMOTE_ADDR=ip
    )
    return response.status_code, response.content.decode()


def test_the_page_sends_one_address_only_a_few_emails_a_day(
    client_a: Client, news_a: Municipality
) -> None:
    topic = make_topic(news_a, "Abfall")
    for n in range(PER_EMAIL):  # from different clients, with the address written differently
        assert _page(client_a, topic, " Erika@Example.org", ip=f"192.0.2.{n + 1}")[0] == 200

    status, html = _page(client_a, topic, "erika@example.org", ip="198.51.100.7")

    assert status == 429
    assert TOO_MANY_FOR_THE_ADDRESS in html
    assert 'role="alert"' in html
    assert _queued(news_a) == PER_EMAIL
    assert _page(client_a, topic, "max@example.org", ip="198.51.100.7")[0] == 200


def test_the_page_takes_only_so_many_requests_from_one_client(
    client_a: Client, news_a: Municipality
) -> None:
    topic = make_topic(news_a, "Abfall")
    for n in range(PER_CLIENT):
        assert _page(client_a, topic, f"person{n}@example.org")[0] == 200

    status, html = _page(client_a, topic, "noch-eine@example.org")

    assert status == 429
    assert TOO_MANY_FROM_THE_CLIENT in html
    assert _queued(news_a) == PER_CLIENT
    assert _page(client_a, topic, "noch-eine@example.org", ip="198.51.100.7")[0] == 200


def test_the_api_answers_429_with_a_message_in_the_apps_language(
    news_a: Municipality,
) -> None:
    make_topic(news_a, "Abfall")
    app = Client(HTTP_HOST="tangerhuette.localhost", HTTP_ACCEPT_LANGUAGE="en")

    def subscribe(email: str) -> tuple[int, dict[str, str]]:
        response = app.post(
            "/api/v1/news/subscribe/",
            {"email": email, "topics": ["abfall"]},
            content_type="application/json",
        )
        return response.status_code, response.json()

    answers = [subscribe("erika@example.org") for _ in range(PER_EMAIL + 1)]

    assert [status for status, _ in answers] == [202] * PER_EMAIL + [429]
    assert answers[-1][1]["code"] == "rate_limited"
    assert answers[-1][1]["detail"].startswith("We have already sent several confirmation")
    assert _queued(news_a) == PER_EMAIL
    for n in range(PER_CLIENT - PER_EMAIL - 1):
        assert subscribe(f"person{n}@example.org")[0] == 202
    status, body = subscribe("noch-eine@example.org")
    assert status == 429
    assert body["detail"].startswith("Too many sign-ups from your connection")


def test_one_towns_limit_leaves_another_town_alone(
    client_a: Client, client_b: Client, news_a: Municipality, news_b: Municipality
) -> None:
    topic_a = make_topic(news_a, "Abfall")
    topic_b = make_topic(news_b, "Abfall")
    for _ in range(PER_EMAIL):
        _page(client_a, topic_a, "erika@example.org")
    assert _page(client_a, topic_a, "erika@example.org")[0] == 429

    assert _page(client_b, topic_b, "erika@example.org")[0] == 200
    assert _queued(news_b) == 1
