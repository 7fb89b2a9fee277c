"""A town's files: public ones (``public``) and private ones (``private``, ``downloads``).

Public files (logos, news attachments) are the default storage and are served
to anyone at ``MEDIA_URL`` on the town's host. Private files (application
documents, official notices) live in a storage the public file view never
reaches and leave it only through a short-lived signed link for their reader
(``downloads.private_file_link``).

Only the storage classes are imported here (the settings name them); nothing
that needs the app registry.
"""

from rathaus.platform.storage.public import (
    TownFileSystemStorage,
    TownS3Storage,
    current_town_prefix,
)

__all__ = ["TownFileSystemStorage", "TownS3Storage", "current_town_prefix"]
