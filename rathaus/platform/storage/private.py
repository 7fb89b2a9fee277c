"""The private file storage: one prefix per town, in a place no public URL reaches.

For what only its reader may see: an uploaded application document, an
official notice. Locally the files lie under ``PRIVATE_MEDIA_ROOT/<schema>/``
(beside ``MEDIA_ROOT``, never inside it); in S3 under ``private/<schema>/`` in
``PRIVATE_STORAGE_BUCKET_NAME`` (by default the public files' bucket: the
public storage's names live under ``<schema>/`` and cannot climb out of it).
Neither backend makes URLs: a private file leaves the storage only through
``downloads.private_file_link`` and the portal's download view, which checks
who asks.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django_tenants.utils import get_public_schema_name
from storages.backends.s3 import S3Storage

from rathaus.platform.storage.public import current_town_prefix
from rathaus.tenants.current import NoTown

PRIVATE_STORAGE = "private"  # its key in STORAGES
S3_PREFIX = "private"


class PrivateFileUrlError(Exception):
    """Private files have no URL; link them with ``downloads.private_file_link``."""


def _town_prefix() -> str:
    prefix = current_town_prefix()
    if prefix == get_public_schema_name():
        raise NoTown("private files belong to a town; none is current")
    return prefix


def _no_url(name: str | None) -> str:
    raise PrivateFileUrlError(
        f"the private file {name!r} has no URL; use rathaus.platform.storage.downloads."
        "private_file_link for a signed link to its reader"
    )


class PrivateTownFileSystemStorage(FileSystemStorage):
    """Local files under ``PRIVATE_MEDIA_ROOT/<schema>/``, readable by the app's user only."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
        public = Path(settings.MEDIA_ROOT).resolve()
        if root.is_relative_to(public) or public.is_relative_to(root):
            # The public file view serves everything below MEDIA_ROOT.
            raise ImproperlyConfigured(
                f"PRIVATE_MEDIA_ROOT ({root}) must lie outside MEDIA_ROOT ({public}) and "
                "must not contain it"
            )
        return str(root / _town_prefix())

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        return _no_url(name)


class PrivateTownS3Storage(S3Storage):
    """S3 objects under ``private/<schema>/`` in ``PRIVATE_STORAGE_BUCKET_NAME``; no URLs.

    The bucket (or at least the ``private/`` prefix) must block public access;
    objects get no ACL of their own, so they are as private as the bucket.
    """

    def get_default_settings(self) -> dict[str, Any]:
        defaults: dict[str, Any] = super().get_default_settings()
        defaults["bucket_name"] = settings.PRIVATE_STORAGE_BUCKET_NAME
        defaults["default_acl"] = None
        return defaults

    @property
    def location(self) -> str:
        # Read in __init__ too (possibly in the public schema); the check is per call below.
        return f"{S3_PREFIX}/{current_town_prefix()}"

    @location.setter
    def location(self, value: Any) -> None:
        # As in TownS3Storage: the town prefix always wins over a configured location.
        pass

    def _normalize_name(self, name: str) -> str:
        _town_prefix()  # every object operation names a key through here
        return str(super()._normalize_name(name))

    def url(self, name: str | None, *args: Any, **kwargs: Any) -> str:
        return _no_url(name)


def private_storage() -> Storage:
    """The private storage of the current town (``STORAGES["private"]``)."""
    return storages[PRIVATE_STORAGE]


@dataclass(frozen=True)
class StoredFile:
    """A file as stored: its name in the private storage, its size and SHA-256 (hex)."""

    name: str
    size: int
    sha256: str


def private_file_save(*, name: str, content: File | bytes) -> StoredFile:
    """Stores ``content`` as ``name`` in the current town's private storage.

    The returned name is the one to keep: the storage adds a suffix rather than
    replace an existing file. The hash lets a reader prove later that a notice
    is the one that was stored.
    """
    if isinstance(content, bytes):
        content = ContentFile(content)
    digest = hashlib.sha256()
    size = 0
    for chunk in content.chunks():
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    stored = private_storage().save(name, content)
    return StoredFile(name=stored, size=size, sha256=digest.hexdigest())
