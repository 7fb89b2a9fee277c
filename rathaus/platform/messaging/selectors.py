"""Reads of the outbox, in the current town's schema."""

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet

from rathaus.platform.identity.models import User
from rathaus.platform.identity.selectors import account_proven_email, account_proven_phone

from .keys import address_digest
from .models import OutboxMessage


def _empty() -> dict[str, int]:
    return dict.fromkeys(OutboxMessage.State.values, 0)


def message_counts(*, group: str) -> dict[str, int]:
    """How many of the group's messages are in each state (every state named, 0 if none)."""
    return message_counts_by_group(groups=[group])[group]


def message_counts_by_group(*, groups: Sequence[str]) -> dict[str, dict[str, int]]:
    """``message_counts`` of several groups in one query."""
    counts = {group: _empty() for group in groups}
    rows = (
        OutboxMessage.objects.filter(group__in=groups)
        .order_by()
        .values_list("group", "state")
        .annotate(n=Count("pk"))
    )
    for group, state, n in rows:
        counts[group][state] = n
    return counts


def messages_of(*, user: User) -> QuerySet[OutboxMessage]:
    """The messages addressed to ``user``: by account, or to (or keyed by the digest of) an
    e-mail address or mobile number the person has proven to be theirs (anyone can register
    with someone else's address)."""
    addressed = Q(recipient=user)
    if email := account_proven_email(user=user):
        # A forgetful kind's done row keeps only its key, which may hold the digest.
        addressed |= Q(address__iexact=email) | Q(key__contains=address_digest(email))
    if phone := account_proven_phone(user=user):
        addressed |= Q(address=phone) | Q(key__contains=address_digest(phone))
    return OutboxMessage.objects.filter(addressed)


def messages_in_doubt(*, limit: int = 100) -> QuerySet[OutboxMessage]:
    """The newest messages that may not have reached people, for staff to follow up:
    ``unconfirmed`` (may have gone out, never sent again by itself) and ``failed``."""
    in_doubt = [OutboxMessage.State.UNCONFIRMED, OutboxMessage.State.FAILED]
    return OutboxMessage.objects.filter(state__in=in_doubt).order_by("-created_at", "-pk")[:limit]


def message_counts_since(*, since: dt.datetime) -> dict[str, int]:
    """How many of the town's messages written since ``since`` are in each state."""
    counts = _empty()
    rows = (
        OutboxMessage.objects.filter(created_at__gte=since)
        .order_by()
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    for state, n in rows:
        counts[state] = n
    return counts
