"""The mailbox in the REST API (for the mobile app): list, read, download, reply, consent."""

from io import BytesIO

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.mailbox.models import Message, Reply
from rathaus.modules.mailbox.selectors import consent_given
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from tests.html import api_error_paths

from .conftest import NOTICE_PDF, citizen, log_in, provide

API = "/api/v1/mailbox"
JSON = "application/json"


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_the_app_lists_the_messages_newest_first_and_finds_one_by_its_reference(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    provide(mailbox_a, erika, subject="Grundsteuerbescheid")
    provide(mailbox_a, erika, subject="Hundesteuerbescheid")
    log_in(client_a, erika.email)

    listed = client_a.get(f"{API}/messages/").json()

    assert listed["count"] == 2
    subjects = [message["subject"] for message in listed["results"]]
    assert subjects == ["Hundesteuerbescheid", "Grundsteuerbescheid"]
    assert all(message["unread"] for message in listed["results"])
    found = client_a.get(f"{API}/messages/", {"q": "Grundsteuer"}).json()
    assert [message["subject"] for message in found["results"]] == ["Grundsteuerbescheid"]


def test_reading_a_message_records_the_time_and_gives_a_download_link_for_its_owner(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    message = provide(mailbox_a, erika)
    log_in(client_a, erika.email)

    read = client_a.get(f"{API}/messages/{message.public_id}/").json()

    assert read["subject"] == "Hundesteuerbescheid 2026"
    assert read["first_opened_at"] is not None
    with tenant_context(mailbox_a):
        assert Message.objects.get(pk=message.pk).first_opened_at is not None
    [document] = read["documents"]
    assert document["filename"] == "bescheid.pdf"
    assert len(document["sha256"]) == 64
    download = client_a.get(_path(document["download_url"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == NOTICE_PDF  # type: ignore[attr-defined]
    assert client_a.get(f"{API}/messages/").json()["results"][0]["unread"] is False


def test_the_citizen_replies_with_a_pdf_where_the_message_allows_it(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    message = provide(mailbox_a, erika)
    with tenant_context(mailbox_a):
        Message.objects.filter(pk=message.pk).update(allows_reply=True)
    log_in(client_a, erika.email)
    url = f"{API}/messages/{message.public_id}/replies/"

    empty = client_a.post(url, {"body": "   "})
    upload = BytesIO(NOTICE_PDF)
    upload.name = "widerspruch.pdf"
    sent = client_a.post(url, {"body": "Ich widerspreche.", "documents": [upload]})

    assert empty.status_code == 400
    assert sent.status_code == 201, sent.content.decode()
    assert sent.json()["documents"][0]["filename"] == "widerspruch.pdf"
    with tenant_context(mailbox_a):
        assert Reply.objects.get(message=message).body == "Ich widerspreche."


def test_a_message_without_replies_takes_none(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    message = provide(mailbox_a, erika)
    log_in(client_a, erika.email)

    answer = client_a.post(f"{API}/messages/{message.public_id}/replies/", {"body": "Hallo"})

    assert answer.status_code == 404


def test_consent_is_read_and_withdrawn_with_its_time(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    log_in(client_a, erika.email)
    assert client_a.get(f"{API}/consent/").json()["consented"] is True

    withdrawn = client_a.put(
        f"{API}/consent/", {"consented": False}, content_type="application/json"
    )
    bad = client_a.put(
        f"{API}/consent/", {"consented": "vielleicht"}, content_type="application/json"
    )

    assert withdrawn.json()["consented"] is False
    assert withdrawn.json()["recorded_at"]
    assert bad.status_code == 400
    assert "$.consented" in api_error_paths(bad)
    with tenant_context(mailbox_a):
        assert consent_given(account=erika) is False


def test_nobody_else_and_no_other_town_sees_a_message(
    client_a: Client,
    client_b: Client,
    mailbox_a: Municipality,
    mailbox_b: Municipality,
    erika: User,
) -> None:
    message = provide(mailbox_a, erika)
    detail = f"{API}/messages/{message.public_id}/"
    assert client_a.get(detail).status_code in (401, 403)  # not logged in
    max_ = citizen(mailbox_a, email="max@example.org")
    log_in(client_a, max_.email)
    assert client_a.get(detail).status_code == 404
    assert client_a.get(f"{API}/messages/").json()["count"] == 0
    # The same address on the other town is another account with another mailbox.
    erika_b = citizen(mailbox_b, email=erika.email)
    log_in(client_b, erika_b.email)
    assert client_b.get(detail).status_code == 404
    assert client_b.get(f"{API}/messages/").json()["count"] == 0


def test_an_app_reads_the_mailbox_with_its_token_and_writes_only_with_the_write_scope(
    client_a: Client, mailbox_a: Municipality, erika: User
) -> None:
    from rathaus.tenants.services import town_host
    from tests.conftest import host_client
    from tests.platform.oauth.helpers import allow, bearer, exchange, pkce, register_app

    provide(mailbox_a, erika)
    app = register_app(mailbox_a)
    log_in(client_a, erika.email)
    app_client = host_client(town_host(slug=mailbox_a.slug))  # no cookies of the browser

    def token(scope: str) -> str:
        proof = pkce()
        code = allow(client_a, app, proof, scope)
        return str(exchange(app_client, app, code, proof.verifier).json()["access_token"])

    reader = bearer(token("mailbox:read"))
    listed = app_client.get(f"{API}/messages/", headers=reader)
    refused = app_client.put(
        f"{API}/consent/", {"consented": False}, content_type=JSON, headers=reader
    )
    changed = app_client.put(
        f"{API}/consent/",
        {"consented": False},
        content_type=JSON,
        headers=bearer(token("mailbox:read mailbox:write")),
    )

    assert listed.status_code == 200
    assert listed.json()["count"] == 1
    assert refused.status_code == 403
    assert "mailbox:write" in refused.json()["detail"]
    assert changed.status_code == 200
    assert changed.json()["consented"] is False
