"""The public file storage: one prefix per town, served to anyone at ``MEDIA_URL``.

For what a town shows everyone (a logo, a news attachment). Every stored name
lives below the current town's schema name, chosen at the moment of each call
from the database connection. URLs never contain that prefix: a town's host
serves only its own prefix, so a file URL copied from one town resolves to
nothing on another town's host.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

from rathaus.tenants.db import current_schema_name


def current_town_prefix() -> str:
    """The storage prefix of the town the current thread works for (its schema name)."""
    return current_schema_name()


class TownFileSystemStorage(FileSystemStorage):
    """Local files under ``MEDIA_ROOT/<schema>/``; the default for development."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.MEDIA_ROOT) / current_town_prefix())

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())


class TownS3Storage(S3Storage):
    """S3 objects under ``<schema>/`` in the shared bucket; URLs are pre-signed."""

    @property
    def location(self) -> str:
        return current_town_prefix()

    @location.setter
    def location(self, value: Any) -> None:
        # django-storages assigns the configured location in __init__; the
        # town prefix always wins, so the assignment is ignored on purpose.
        pass
