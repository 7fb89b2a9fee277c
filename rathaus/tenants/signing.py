"""Signed tokens that belong to one town: a token made for one town never verifies on another.

The town's schema name (``town_<AGS>``, stable across renames) is part of the
signing salt, so a token of another town fails its signature check like a
forged one; there is no field to forget to compare. Every link in an e-mail
(confirmations, booking links, unsubscribe), every support token and every
signed download link is made here.
"""

from typing import Any

from django.core import signing
from django_tenants.utils import get_public_schema_name

from rathaus.tenants.current import NoTown
from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality


class BadToken(Exception):  # noqa: N818 (reads as what happened)
    """The token is forged, damaged, expired, or was made for another town."""


class ExpiredToken(BadToken):
    """The token is genuine (this town's, undamaged) but older than its ``max_age``."""


def _salt(salt: str, town: Municipality | None) -> str:
    schema = town.schema_name if town is not None else current_schema_name()
    if schema == get_public_schema_name():
        raise NoTown("town tokens are made and read for a town")
    return f"{salt}@{schema}"


def town_dumps(payload: Any, *, salt: str, town: Municipality | None = None) -> str:
    """A URL-safe token carrying ``payload`` (JSON-able), signed for ``town`` (default: the
    current one) and for the purpose ``salt``."""
    return signing.dumps(payload, salt=_salt(salt, town), compress=True)


def _loads(token: str, *, salt: str, max_age: int | None) -> Any:
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ExpiredToken(str(exc)) from exc
    except signing.BadSignature as exc:
        raise BadToken(str(exc)) from exc


def town_loads(
    token: str,
    *,
    salt: str,
    max_age: int | None = None,
    town: Municipality | None = None,
    legacy_key: str | None = None,
) -> Any:
    """The payload of a token made by ``town_dumps`` for ``town`` (default: the current one).

    Raises ``BadToken`` for a forged, damaged or foreign token, and its subclass
    ``ExpiredToken`` for a genuine one older than ``max_age`` seconds (``None``:
    no expiry), so a page can tell "this link is no longer valid" from "this
    link is wrong".

    ``legacy_key``: links in e-mails sent before town-scoped salts (December 2026) were
    signed with the bare ``salt`` and named the schema in the payload under this key;
    such a token is still read, for the town it names only. Pass it only for as long as
    those links can be valid (an unsubscribe link: always).
    """
    try:
        return _loads(token, salt=_salt(salt, town), max_age=max_age)
    except ExpiredToken:
        raise
    except BadToken:
        if legacy_key is None:
            raise
    data = _loads(token, salt=salt, max_age=max_age)
    schema = town.schema_name if town is not None else current_schema_name()
    if not isinstance(data, dict) or data.pop(legacy_key, None) != schema:
        raise BadToken("a link of another town")
    return data
