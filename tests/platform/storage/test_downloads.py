"""A private file reaches its reader through a short-lived signed link, and no one else."""

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.core import signing
from django.test import Client, override_settings
from django_tenants.utils import tenant_context

from rathaus.platform.identity.models import User
from rathaus.platform.staff.models import StaffRole
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.private import private_file_save, private_storage
from rathaus.platform.storage.readers import Account, StaffOf
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url
from tests.factories import UserFactory
from tests.platform.storage.conftest import (
    bucket_create,
    bucket_keys,
    log_in,
    s3_client,
    s3_options,
)

NOTICE = b"%PDF-1.7 Bescheid ueber die Hundesteuer"
NAME = "bescheide/hundesteuer.pdf"


@pytest.fixture
def erika(town_a: Municipality) -> User:
    with tenant_context(town_a):
        return UserFactory.create(email="erika@example.org")


@pytest.fixture
def notice(town_a: Municipality) -> Iterator[str]:
    with tenant_context(town_a):
        stored = private_file_save(name=NAME, content=NOTICE)
    yield stored.name
    with tenant_context(town_a):
        private_storage().delete(stored.name)


def _path(link: str) -> str:
    return urlsplit(link).path


def _link_for(town: Municipality, user: User, name: str = NAME, **kwargs: Any) -> str:
    return private_file_link(town=town, name=name, readers=[Account(user.pk)], **kwargs)


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_the_owner_downloads_the_file_with_safe_headers(
    town_a: Municipality, client_a: Client, erika: User, notice: str
) -> None:
    link = _link_for(town_a, erika, filename="Hundesteuerbescheid 2026.pdf")
    log_in(client_a, "erika@example.org")

    response = client_a.get(_path(link))

    assert response.status_code == 200
    assert _body(response) == NOTICE
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Hundesteuerbescheid 2026.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["Cache-Control"] == "private, no-store"


def test_the_link_is_on_the_towns_own_host_wherever_it_is_made(
    town_a: Municipality, erika: User
) -> None:
    link = _link_for(town_a, erika)  # made in the public schema, as a task or vendor page would

    assert link.startswith(town_url(town=town_a, path="/files/"))


def test_a_page_or_script_is_only_ever_downloaded(
    town_a: Municipality, client_a: Client, erika: User
) -> None:
    with tenant_context(town_a):
        stored = private_file_save(name="antraege/anlage.html", content=b"<script>1</script>")
    try:
        log_in(client_a, "erika@example.org")
        response = client_a.get(_path(_link_for(town_a, erika, name=stored.name)))

        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment;")
    finally:
        with tenant_context(town_a):
            private_storage().delete(stored.name)


def test_a_logged_out_visitor_logs_in_first_and_then_gets_the_file(
    town_a: Municipality, client_a: Client, erika: User, notice: str
) -> None:
    path = _path(_link_for(town_a, erika))

    response = client_a.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(path)}"
    login = client_a.post(
        response["Location"],
        {"username": "erika@example.org", "password": "correct horse battery staple"},
    )
    assert login["Location"] == path
    assert _body(client_a.get(login["Location"])) == NOTICE


def test_a_link_passed_on_to_another_account_gives_nothing(
    town_a: Municipality, client_a: Client, erika: User, notice: str
) -> None:
    with tenant_context(town_a):
        UserFactory.create(email="max@example.org")
    log_in(client_a, "max@example.org")

    response = client_a.get(_path(_link_for(town_a, erika)))

    assert response.status_code == 403
    assert "nicht für Ihr Konto bestimmt" in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"


def test_another_towns_host_gives_nothing_even_with_its_own_fresh_link(
    town_a: Municipality,
    town_b: Municipality,
    client_b: Client,
    erika: User,
    notice: str,
) -> None:
    with tenant_context(town_b):
        namesake = UserFactory.create(email="erika@example.org")
    log_in(client_b, "erika@example.org")

    # Town A's link on town B's host: its signature is town A's.
    assert client_b.get(_path(_link_for(town_a, erika))).status_code == 404
    # A link town B made for the same name: town B has no such private file.
    assert client_b.get(_path(_link_for(town_b, namesake))).status_code == 404


def test_an_expired_link_is_refused_with_a_clear_message(
    town_a: Municipality,
    client_a: Client,
    erika: User,
    notice: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    six_minutes_ago = int(time.time()) - 6 * 60
    with monkeypatch.context() as past:
        past.setattr(
            signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(six_minutes_ago)
        )
        old = _link_for(town_a, erika)
    log_in(client_a, "erika@example.org")

    response = client_a.get(_path(old))

    assert response.status_code == 410
    assert "Der Link ist abgelaufen" in response.content.decode()
    with override_settings(PRIVATE_FILE_LINK_SECONDS=10 * 60):  # the expiry is a setting
        assert client_a.get(_path(old)).status_code == 200


def test_a_changed_link_is_refused(
    town_a: Municipality, client_a: Client, erika: User, notice: str
) -> None:
    log_in(client_a, "erika@example.org")
    path = _path(_link_for(town_a, erika))
    token = path.removeprefix("/files/").removesuffix("/")
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")

    assert client_a.get(f"/files/{forged}/").status_code == 404


def test_staff_of_the_named_module_may_read_and_other_staff_may_not(
    town_a: Municipality, client_a: Client, notice: str
) -> None:
    with tenant_context(town_a):
        clerk = UserFactory.create(email="sachbearbeiter@example.org", is_staff=True)
        StaffRole.objects.create(user=clerk, role="mailbox.clerk")
        other = UserFactory.create(email="kasse@example.org", is_staff=True)
        StaffRole.objects.create(user=other, role="payments.clerk")
    link = private_file_link(town=town_a, name=notice, readers=[StaffOf("mailbox")])

    log_in(client_a, "kasse@example.org")
    assert client_a.get(_path(link)).status_code == 403
    client_a.post("/accounts/logout/")
    log_in(client_a, "sachbearbeiter@example.org")
    assert _body(client_a.get(_path(link))) == NOTICE


def test_a_link_needs_a_name_and_a_reader(town_a: Municipality) -> None:
    with pytest.raises(ValueError, match="reader"):
        private_file_link(town=town_a, name=NAME, readers=[])
    with pytest.raises(ValueError, match="name"):
        private_file_link(town=town_a, name="", readers=[Account(1)])


def test_the_download_works_from_s3_too(
    s3_endpoint: str, town_a: Municipality, client_a: Client, erika: User, settings: Any
) -> None:
    s3 = s3_client(s3_endpoint)
    bucket_create(s3, "rathaus-files")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "rathaus.platform.storage.private.PrivateTownS3Storage",
            "OPTIONS": {"bucket_name": "rathaus-files", **s3_options(s3_endpoint)},
        },
    }
    with tenant_context(town_a):
        stored = private_file_save(name=NAME, content=NOTICE)
    assert bucket_keys(s3, "rathaus-files") == [f"private/town_15090520/{NAME}"]
    log_in(client_a, "erika@example.org")

    response = client_a.get(_path(_link_for(town_a, erika, name=stored.name)))

    assert _body(response) == NOTICE
    assert response["Cache-Control"] == "private, no-store"
