"""The messages' section of a person's data: listed in the export, anonymised on erasure."""

import re
from typing import Any

from django.db.models import Case, F, Value, When

from rathaus.platform.identity.models import User
from rathaus.platform.identity.personal_data import personal_data_section

from .keys import key_without_addresses
from .models import OutboxMessage
from .registry import kinds
from .selectors import messages_of


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def messages_export(user: User) -> list[dict[str, Any]]:
    """What was sent to the person and how it went; never a body (it is not kept)."""
    rows = messages_of(user=user).order_by("created_at", "pk")
    return [
        {
            "channel": row.channel,
            "kind": row.kind,
            "description": str(kind.label) if (kind := kinds.get(row.kind)) else "",
            "state": row.state,
            "created_at": _iso(row.created_at),
            "sent_at": _iso(row.sent_at),
        }
        for row in rows
    ]


def messages_erase(user: User) -> None:
    """Rows addressed to the person lose account, address and context, and every trace of
    the address elsewhere: its digest or the address in the key, the address in a mail
    server's error. Waiting ones are dropped (skipped). The key stays unique and names
    the kind; state and dates stay (what happened, not to whom)."""
    pending, skipped = OutboxMessage.State.PENDING, OutboxMessage.State.SKIPPED
    addresses = [str(a) for a in (user.email, user.phone) if a]
    rows = list(messages_of(user=user).values_list("pk", "key", "address", "error"))
    # State in a statement of its own: a worker may mark a row at the same moment.
    messages_of(user=user).update(
        recipient=None,
        address="",
        context={},
        state=Case(When(state=pending, then=Value(skipped)), default=F("state")),
    )
    for pk, key, address, error in rows:
        known = [address, *addresses]
        new_key = key_without_addresses(key, addresses=known, replacement=f"erased-{pk}")
        new_error = _without(error, known)
        if (new_key, new_error) != (key, error):
            OutboxMessage.objects.filter(pk=pk).update(key=new_key, error=new_error)


def _without(text: str, addresses: list[str]) -> str:
    for address in addresses:
        if address:
            text = re.sub(re.escape(address), "[gelöscht]", text, flags=re.IGNORECASE)
    return text


personal_data_section("messages", export=messages_export, erase=messages_erase)
