"""Short-lived signed links that give a private file to its readers, and no one else.

A link is an absolute URL on the town's own host (``town_url``) carrying a
``town_dumps`` token with the stored name, the file name to download it as and
its readers. The token verifies on its own town only, and for
``PRIVATE_FILE_LINK_SECONDS`` (default five minutes): long enough to click,
too short to be worth passing on. Even a passed-on link gives nothing: the
download view wants a logged-in reader (``readers``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.urls import reverse

from rathaus.platform.storage.readers import Reader, reader_from_key
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url
from rathaus.tenants.signing import BadToken, town_dumps, town_loads

DOWNLOAD_SALT = "rathaus.storage.private-download"
URL_NAME = "private-file"


@dataclass(frozen=True)
class Download:
    """What a valid link gives: the stored ``name``, downloaded as ``filename``, to ``readers``."""

    name: str
    filename: str
    readers: tuple[Reader, ...]

    def admits(self, user: Any) -> bool:
        return any(reader.admits(user) for reader in self.readers)


def private_file_link(
    *, town: Municipality, name: str, readers: Sequence[Reader], filename: str = ""
) -> str:
    """A link on ``town``'s host to its private file ``name``, for any of ``readers``.

    ``filename`` is what the browser saves it as (default: the name's last
    part). The link expires after ``PRIVATE_FILE_LINK_SECONDS``; make a new one
    each time a page shows it.
    """
    if not name:
        raise ValueError("a private file link needs the stored file's name")
    if not readers:
        raise ValueError(f"a private file link needs at least one reader (file {name!r})")
    payload = {
        "n": name,
        "f": filename or PurePosixPath(name).name,
        "r": [reader.key() for reader in readers],
    }
    token = town_dumps(payload, salt=DOWNLOAD_SALT, town=town)
    # The town's URLconf, even when called on a vendor host or in a task.
    path = reverse(URL_NAME, kwargs={"token": token}, urlconf=settings.ROOT_URLCONF)
    return town_url(town=town, path=path)


def download_read(*, token: str) -> Download:
    """The download a link of the current town gives.

    Raises ``ExpiredToken`` for a link older than ``PRIVATE_FILE_LINK_SECONDS``
    and ``BadToken`` for a changed one or one of another town.
    """
    payload = town_loads(token, salt=DOWNLOAD_SALT, max_age=settings.PRIVATE_FILE_LINK_SECONDS)
    try:
        return Download(
            name=str(payload["n"]),
            filename=str(payload["f"]),
            readers=tuple(reader_from_key(key) for key in payload["r"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BadToken(f"not a download link: {exc}") from exc
