"""Pages, feeds, the API and the staff pages of the news module; one town never sees another's."""

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.news.models import Post, Subscriber, Topic
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.html import api_error_paths
from tests.modules.news.conftest import (
    log_in,
    make_post,
    make_staff,
    make_topic,
    send_opt_in_mails,
)


def test_the_town_page_lists_past_posts_per_topic_with_feeds(
    client_a: Client, news_a: Municipality
) -> None:
    pool = make_topic(news_a, "Freibad")
    roads = make_topic(news_a, "Straßenbau", "strassenbau")
    make_post(news_a, pool, "Freibad heute geschlossen")
    make_post(news_a, roads, "Vollsperrung Hauptstraße")
    with tenant_context(news_a):
        Post.objects.create(title="Geheimer Entwurf", body="-")

    topic_page = client_a.get("/news/topics/freibad/").content.decode()
    rss = client_a.get("/news/topics/freibad/feed/")
    atom = client_a.get("/news/feed/atom/")

    assert "Freibad heute geschlossen" in topic_page
    assert "Vollsperrung" not in topic_page
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert "<title>Freibad heute geschlossen</title>" in body
    assert "http://tangerhuette.localhost/news/posts/" in body
    assert "Vollsperrung" not in body
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "Vollsperrung Hauptstraße" in atom.content.decode()
    assert "Geheimer Entwurf" not in atom.content.decode()
    assert "Geheimer Entwurf" not in client_a.get("/news/").content.decode()


def test_news_answers_404_while_the_module_is_off(client_a: Client, town_a: Municipality) -> None:
    assert client_a.get("/news/").status_code == 404
    assert client_a.get("/news/feed/").status_code == 404
    assert client_a.get("/api/v1/news/topics/").status_code == 404


def test_the_api_lists_topics_and_subscribes_with_double_opt_in(
    client_a: Client, news_a: Municipality
) -> None:
    make_topic(news_a, "Abfall")

    topics = client_a.get("/api/v1/news/topics/").json()
    accepted = client_a.post(
        "/api/v1/news/subscribe/",
        {"email": "erika@example.org", "topics": ["abfall"]},
        content_type="application/json",
    )
    refused = client_a.post(
        "/api/v1/news/subscribe/",
        {"email": "kaputt", "topics": ["gibt-es-nicht"]},
        content_type="application/json",
    )

    assert topics == [{"slug": "abfall", "name": "Abfall", "description": ""}]
    assert accepted.status_code == 202
    assert [sent.to for sent in send_opt_in_mails(news_a)] == [["erika@example.org"]]
    assert refused.status_code == 400
    assert set(api_error_paths(refused)) == {"$.email", "$.topics"}
    with tenant_context(news_a):
        assert not Subscriber.objects.exists()


def test_a_citizen_manages_topics_in_the_api(client_a: Client, news_a: Municipality) -> None:
    make_topic(news_a, "Abfall")
    make_topic(news_a, "Freibad")
    with tenant_context(news_a):
        UserFactory(email="max@example.org")
    assert client_a.get("/api/v1/news/subscription/").status_code == 401  # log in first
    log_in(client_a, "max@example.org")

    put = client_a.put(
        "/api/v1/news/subscription/",
        {"topics": ["abfall", "freibad"]},
        content_type="application/json",
    )
    got = client_a.get("/api/v1/news/subscription/").json()
    gone = client_a.delete("/api/v1/news/subscription/").json()

    assert put.status_code == 200
    assert got == {"topics": ["abfall", "freibad"], "receiving": True}
    assert gone == {"topics": [], "receiving": False}


def test_the_openapi_schema_documents_the_news_api(client_a: Client, news_a: Municipality) -> None:
    schema = client_a.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert "/api/v1/news/subscribe/" in schema["paths"]
    assert "put" in schema["paths"]["/api/v1/news/subscription/"]


def test_only_editors_and_town_admins_reach_the_staff_pages(
    client_a: Client, news_a: Municipality
) -> None:
    assert client_a.get("/staff/news/").status_code == 302  # to the login page
    with tenant_context(news_a):
        UserFactory(email="citizen@example.org")
    log_in(client_a, "citizen@example.org")
    assert client_a.get("/staff/news/").status_code == 403

    admin = Client(HTTP_HOST="tangerhuette.localhost")
    make_staff(news_a, admin, [TOWN_ADMIN], email="admin@example.org")
    assert admin.get("/staff/news/").status_code == 200


def test_an_editor_writes_and_publishes_a_post_with_an_attachment(
    client_a: Client, news_a: Municipality, django_capture_on_commit_callbacks: object
) -> None:
    make_staff(news_a, client_a, ["news.editor"])
    client_a.post("/staff/news/topics/", {"name": "Freibad", "description": "Bad und Sauna"})
    with tenant_context(news_a):
        topic = Topic.objects.get(name="Freibad")

    response = client_a.post(
        "/staff/news/posts/new/",
        {
            "title": "Freibad heute geschlossen",
            "body": "Wegen des Gewitters.",
            "topics": [topic.pk],
            "when": "draft",
            "attachment": SimpleUploadedFile("aushang.pdf", b"%PDF-1.4 test", "application/pdf"),
        },
    )

    assert response.status_code == 302
    with tenant_context(news_a):
        post = Post.objects.get()
        assert post.status == Post.Status.DRAFT
        assert default_storage.exists(str(post.attachment.name))
    detail = client_a.get(response["Location"]).content.decode()
    assert "Jetzt veröffentlichen" in detail

    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[operator]
        client_a.post(f"/staff/news/posts/{post.pk}/publish/")

    assert len(callbacks) == 1  # the fan-out task, sent once the change is committed
    with tenant_context(news_a):
        post.refresh_from_db()
        assert post.status == Post.Status.PUBLISHED
        assert AuditEntry.objects.filter(action="news.post.publish", target=str(post.pk)).exists()
    page = client_a.get(f"/news/posts/{post.pk}/").content.decode()
    assert "Anhang herunterladen" in page
    assert client_a.get(f"/media/{post.attachment.name}").status_code == 200


def test_bad_post_input_is_named_and_nothing_is_stored(
    client_a: Client, news_a: Municipality
) -> None:
    make_staff(news_a, client_a, ["news.editor"])

    response = client_a.post(
        "/staff/news/posts/new/",
        {"title": "", "body": "x", "when": "later", "publish_at": "2001-01-01T10:00"},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Bitte mindestens ein Thema wählen." in html
    assert "Der Zeitpunkt muss in der Zukunft liegen." in html
    with tenant_context(news_a):
        assert not Post.objects.exists()


def test_one_towns_topics_posts_and_subscribers_are_invisible_and_unchangeable_in_another(
    client_a: Client, client_b: Client, news_a: Municipality, news_b: Municipality
) -> None:
    topic = make_topic(news_a, "Nur in A", "nur-in-a")
    post = make_post(news_a, topic, "Meldung aus A")
    with tenant_context(news_a):
        Subscriber.objects.create(email="a@example.org")
    make_staff(news_b, client_b, ["news.editor"], email="redaktion-b@example.org")

    assert client_b.get("/news/topics/nur-in-a/").status_code == 404
    assert client_b.get(f"/news/posts/{post.pk}/").status_code == 404
    assert "Meldung aus A" not in client_b.get("/news/feed/").content.decode()
    assert client_b.get("/api/v1/news/topics/").json() == []
    assert client_b.get(f"/staff/news/posts/{post.pk}/").status_code == 404
    assert client_b.post(f"/staff/news/posts/{post.pk}/publish/").status_code == 404
    assert (
        client_b.post(f"/staff/news/topics/{topic.pk}/", {"name": "Übernommen"}).status_code == 404
    )
    assert "Meldung aus A" not in client_b.get("/staff/news/").content.decode()
    with tenant_context(news_a):
        assert Topic.objects.get(pk=topic.pk).name == "Nur in A"
    with tenant_context(news_b):
        assert not Subscriber.objects.exists()
