"""Files are stored under a per-town prefix and served only on their own town's host."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.storage import TownS3Storage
from rathaus.tenants.models import Municipality
from tests.platform.storage.conftest import bucket_create, s3_client, s3_options


def test_a_file_saved_for_a_town_lies_under_that_towns_prefix(town_a: Municipality) -> None:
    with tenant_context(town_a):
        name = default_storage.save("logos/wappen.txt", ContentFile(b"Tangerhuette"))
        try:
            path = Path(default_storage.path(name))
            assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "town_15090520")
            assert default_storage.url(name) == f"/media/{name}"
        finally:
            default_storage.delete(name)


def test_a_file_is_served_on_its_town_and_not_on_another(
    town_a: Municipality, client_a: Client, client_b: Client
) -> None:
    with tenant_context(town_a):
        name = default_storage.save("notices/bescheid.txt", ContentFile(b"Gebuehrenbescheid"))
    try:
        url = f"/media/{name}"
        response = client_a.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"Gebuehrenbescheid"  # type: ignore[attr-defined]

        assert client_b.get(url).status_code == 404
    finally:
        with tenant_context(town_a):
            default_storage.delete(name)


def test_a_path_that_climbs_out_of_the_towns_folder_is_not_served(
    town_a: Municipality, client_b: Client
) -> None:
    with tenant_context(town_a):
        name = default_storage.save("secret.txt", ContentFile(b"only for A"))
    try:
        assert client_b.get(f"/media/../town_15090520/{name}").status_code == 404
        assert client_b.get(f"/media/%2e%2e/town_15090520/{name}").status_code == 404
    finally:
        with tenant_context(town_a):
            default_storage.delete(name)


def test_s3_objects_are_keyed_by_town(
    s3_endpoint: str, town_a: Municipality, town_b: Municipality
) -> None:
    s3 = s3_client(s3_endpoint)
    bucket_create(s3, "rathaus-files")
    storage = TownS3Storage(bucket_name="rathaus-files", **s3_options(s3_endpoint))

    with tenant_context(town_a):
        storage.save("logos/wappen.svg", ContentFile(b"<svg/>"))
        url_a = storage.url("logos/wappen.svg")
    with tenant_context(town_b):
        assert not storage.exists("logos/wappen.svg")

    keys = [item["Key"] for item in s3.list_objects_v2(Bucket="rathaus-files")["Contents"]]
    assert keys == ["town_15090520/logos/wappen.svg"]
    assert "/town_15090520/logos/wappen.svg?" in url_a


@pytest.mark.parametrize("name", ["aushang.html", "wappen.svg", "skript.js"])
def test_an_uploaded_page_or_script_is_downloaded_never_shown(
    town_a: Municipality, client_a: Client, name: str
) -> None:
    with tenant_context(town_a):
        stored = default_storage.save(f"news/{name}", ContentFile(b"<script>alert(1)</script>"))
    try:
        response = client_a.get(f"/media/{stored}")

        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "sandbox" in response["Content-Security-Policy"]
    finally:
        with tenant_context(town_a):
            default_storage.delete(stored)


def test_an_image_is_shown_inline(town_a: Municipality, client_a: Client) -> None:
    with tenant_context(town_a):
        stored = default_storage.save("branding/logo.png", ContentFile(b"\x89PNG"))
    try:
        response = client_a.get(f"/media/{stored}")

        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("inline")
    finally:
        with tenant_context(town_a):
            default_storage.delete(stored)
