"""Signed tokens in e-mail links: the double opt-in and the one-click unsubscribe.

Both carry the town's schema name, so a link from one town's e-mail does
nothing on another town's host even where ids coincide.
"""

from dataclasses import dataclass

from django.core import signing

from rathaus.tenants.db import current_schema_name

CONFIRM_SALT = "rathaus.news.confirm"
UNSUBSCRIBE_SALT = "rathaus.news.unsubscribe"
# How long a double opt-in link stays valid.
CONFIRM_MAX_AGE = 60 * 60 * 24 * 3


class BadToken(Exception):  # noqa: N818 (reads as what happened)
    """The link is forged, damaged, expired or from another town."""


@dataclass(frozen=True)
class SubscriptionRequest:
    email: str
    topic_ids: tuple[int, ...]


def confirm_token(*, email: str, topic_ids: list[int]) -> str:
    """The double opt-in link's token; nothing is stored until it comes back."""
    payload = {"t": current_schema_name(), "e": email, "k": sorted(topic_ids)}
    return signing.dumps(payload, salt=CONFIRM_SALT, compress=True)


def read_confirm_token(token: str) -> SubscriptionRequest:
    try:
        payload = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature as exc:  # also SignatureExpired
        raise BadToken(str(exc)) from exc
    if not isinstance(payload, dict) or payload.get("t") != current_schema_name():
        raise BadToken("token of another town")
    return SubscriptionRequest(email=str(payload["e"]), topic_ids=tuple(payload["k"]))


def unsubscribe_token(*, subscriber_id: int, post_id: int | None = None, schema: str = "") -> str:
    """A permanent token naming the subscriber (and the post whose e-mail carried it)."""
    value = f"{schema or current_schema_name()}.{subscriber_id}.{post_id or 0}"
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(value)


def read_unsubscribe_token(token: str) -> tuple[int, int | None]:
    """``(subscriber_id, post_id or None)``; raises ``BadToken``."""
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
        schema, subscriber, post = value.rsplit(".", 2)
        subscriber_id, post_id = int(subscriber), int(post)
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken(str(exc)) from exc
    if schema != current_schema_name():
        raise BadToken("token of another town")
    return subscriber_id, post_id or None
