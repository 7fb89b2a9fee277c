"""Private files lie where no public URL reaches, per town, locally and in S3."""

import hashlib
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django_tenants.utils import tenant_context

from rathaus.platform.storage import TownS3Storage
from rathaus.platform.storage.private import (
    PrivateFileUrlError,
    PrivateTownFileSystemStorage,
    PrivateTownS3Storage,
    private_file_save,
    private_storage,
)
from rathaus.tenants.current import NoTown
from rathaus.tenants.models import Municipality
from tests.platform.storage.conftest import bucket_create, bucket_keys, s3_client, s3_options

NOTICE = b"%PDF-1.7 Gebuehrenbescheid fuer Erika Mustermann"


@pytest.fixture
def notice_a(town_a: Municipality) -> Iterator[str]:
    """A private notice of town A, as ``private_file_save`` stored it."""
    with tenant_context(town_a):
        stored = private_file_save(name="bescheide/2026/bescheid.pdf", content=NOTICE)
    yield stored.name
    with tenant_context(town_a):
        private_storage().delete(stored.name)


def test_a_private_file_lies_outside_media_root_under_its_towns_folder(
    town_a: Municipality,
) -> None:
    with tenant_context(town_a):
        stored = private_file_save(name="antraege/ausweis.pdf", content=ContentFile(NOTICE))
        try:
            path = Path(private_storage().path(stored.name))

            assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT) / "town_15090520")
            assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
            assert path.read_bytes() == NOTICE
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert (stored.size, stored.sha256) == (len(NOTICE), hashlib.sha256(NOTICE).hexdigest())
        finally:
            private_storage().delete(stored.name)


def test_saving_over_an_existing_name_keeps_both_files(town_a: Municipality) -> None:
    with tenant_context(town_a):
        first = private_file_save(name="antraege/scan.pdf", content=b"erste Seite")
        second = private_file_save(name="antraege/scan.pdf", content=b"zweite Seite")
        try:
            assert first.name == "antraege/scan.pdf"
            assert second.name != first.name
            assert private_storage().open(first.name).read() == b"erste Seite"
        finally:
            private_storage().delete(first.name)
            private_storage().delete(second.name)


def test_a_private_file_has_no_url(town_a: Municipality, notice_a: str) -> None:
    with tenant_context(town_a), pytest.raises(PrivateFileUrlError):
        private_storage().url(notice_a)


def test_another_town_does_not_see_a_private_file(town_b: Municipality, notice_a: str) -> None:
    with tenant_context(town_b):
        assert not private_storage().exists(notice_a)


def test_the_public_file_view_never_serves_a_private_file(client_a: Client, notice_a: str) -> None:
    private_root = Path(settings.PRIVATE_MEDIA_ROOT).name
    for path in [
        f"/media/{notice_a}",
        f"/media/../../{private_root}/town_15090520/{notice_a}",
        f"/media/%2e%2e/%2e%2e/{private_root}/town_15090520/{notice_a}",
        f"/media/..%2f..%2f{private_root}%2ftown_15090520%2f{notice_a}",
    ]:
        assert client_a.get(path).status_code == 404, path


def test_a_public_file_of_the_same_name_stays_apart(
    town_a: Municipality, client_a: Client, notice_a: str
) -> None:
    with tenant_context(town_a):
        public = default_storage.save(notice_a, ContentFile(b"Muster, oeffentlich"))
    try:
        response = client_a.get(f"/media/{public}")
        assert b"".join(response.streaming_content) == b"Muster, oeffentlich"  # type: ignore[attr-defined]
        with tenant_context(town_a):
            assert private_storage().open(notice_a).read() == NOTICE
    finally:
        with tenant_context(town_a):
            default_storage.delete(public)


def test_private_files_are_only_stored_for_a_town(db: None) -> None:
    with pytest.raises(NoTown):
        private_file_save(name="irgendwas.txt", content=b"x")


def test_a_private_root_inside_media_root_is_refused(town_a: Municipality) -> None:
    inside = Path(settings.MEDIA_ROOT) / "private"
    with (
        override_settings(PRIVATE_MEDIA_ROOT=inside),
        tenant_context(town_a),
        pytest.raises(ImproperlyConfigured, match="PRIVATE_MEDIA_ROOT"),
    ):
        PrivateTownFileSystemStorage().save("x.txt", ContentFile(b"x"))


# --- S3 ------------------------------------------------------------------------------------------


def test_s3_private_objects_lie_under_private_and_the_town(
    s3_endpoint: str, town_a: Municipality, town_b: Municipality
) -> None:
    s3 = s3_client(s3_endpoint)
    bucket_create(s3, "rathaus-files")
    private = PrivateTownS3Storage(bucket_name="rathaus-files", **s3_options(s3_endpoint))
    public = TownS3Storage(bucket_name="rathaus-files", **s3_options(s3_endpoint))

    with tenant_context(town_a):
        private.save("bescheide/bescheid.pdf", ContentFile(NOTICE))
        with pytest.raises(PrivateFileUrlError):
            private.url("bescheide/bescheid.pdf")
        # The public storage of the same town and bucket cannot reach it.
        assert not public.exists("bescheide/bescheid.pdf")
        with pytest.raises(SuspiciousOperation):
            public.open("../private/town_15090520/bescheide/bescheid.pdf")
    with tenant_context(town_b):
        assert not private.exists("bescheide/bescheid.pdf")

    assert bucket_keys(s3, "rathaus-files") == ["private/town_15090520/bescheide/bescheid.pdf"]
    with pytest.raises(NoTown):
        private.exists("bescheide/bescheid.pdf")


def test_s3_private_objects_go_to_their_own_bucket_when_one_is_set(
    s3_endpoint: str, town_a: Municipality
) -> None:
    s3 = s3_client(s3_endpoint)
    bucket_create(s3, "rathaus-files")
    bucket_create(s3, "rathaus-private")

    with override_settings(PRIVATE_STORAGE_BUCKET_NAME="rathaus-private"):
        private = PrivateTownS3Storage(**s3_options(s3_endpoint))
    with tenant_context(town_a):
        private.save("antraege/scan.pdf", ContentFile(NOTICE))

    assert bucket_keys(s3, "rathaus-private") == ["private/town_15090520/antraege/scan.pdf"]
    assert bucket_keys(s3, "rathaus-files") == []
