"""Signed tokens in e-mail links: the double opt-in and the one-click unsubscribe.

Both are signed for the town (``rathaus.tenants.signing``), so a link from one
town's e-mail does nothing on another town's host even where ids coincide.
"""

import re
from dataclasses import dataclass

from django.core import signing

from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality
from rathaus.tenants.signing import BadToken, town_dumps, town_loads

CONFIRM_SALT = "rathaus.news.confirm"
UNSUBSCRIBE_SALT = "rathaus.news.unsubscribe"
# How long a double opt-in link stays valid.
CONFIRM_MAX_AGE = 60 * 60 * 24 * 3

__all__ = [
    "BadToken",
    "SubscriptionRequest",
    "confirm_token",
    "read_confirm_token",
    "read_unsubscribe_token",
    "unsubscribe_token",
]


@dataclass(frozen=True)
class SubscriptionRequest:
    email: str
    topic_ids: tuple[int, ...]


def confirm_token(*, email: str, topic_ids: list[int]) -> str:
    """The double opt-in link's token; nothing is stored until it comes back."""
    return town_dumps({"e": email, "k": sorted(topic_ids)}, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> SubscriptionRequest:
    """The request in a double opt-in link; raises ``BadToken``."""
    # Links sent before December 2026 named the schema under "t" (valid three days).
    payload = town_loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE, legacy_key="t")
    try:
        return SubscriptionRequest(email=str(payload["e"]), topic_ids=tuple(payload["k"]))
    except (KeyError, TypeError) as exc:
        raise BadToken("not an opt-in token") from exc


def unsubscribe_token(
    *, subscriber_id: int, post_id: int | None = None, town: Municipality | None = None
) -> str:
    """A permanent token naming the subscriber (and the post whose e-mail carried it)."""
    return town_dumps([subscriber_id, post_id or 0], salt=UNSUBSCRIBE_SALT, town=town)


def read_unsubscribe_token(token: str) -> tuple[int, int | None]:
    """``(subscriber_id, post_id or None)``; raises ``BadToken``."""
    if _LEGACY_UNSUBSCRIBE.match(token):
        return _read_legacy_unsubscribe_token(token)
    payload = town_loads(token, salt=UNSUBSCRIBE_SALT)
    try:
        subscriber_id, post_id = int(payload[0]), int(payload[1])
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        raise BadToken("not an unsubscribe token") from exc
    return subscriber_id, post_id or None


# Unsubscribe links in e-mails sent before December 2026: "<schema>.<subscriber>.<post>:<sig>"
# (Django's Signer). They stay in people's mailboxes for good, so they are read for good.
_LEGACY_UNSUBSCRIBE = re.compile(r"^[a-z0-9_]+\.\d+\.\d+:[\w-]+$")


def _read_legacy_unsubscribe_token(token: str) -> tuple[int, int | None]:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
        schema, subscriber, post = value.rsplit(".", 2)
        subscriber_id, post_id = int(subscriber), int(post)
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken(str(exc)) from exc
    if schema != current_schema_name():
        raise BadToken("a link of another town")
    return subscriber_id, post_id or None
