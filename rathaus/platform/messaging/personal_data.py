"""The messages' section of a person's data: listed in the export, anonymised on erasure."""

from typing import Any

from django.db.models import Case, F, Value, When

from rathaus.platform.identity.models import User
from rathaus.platform.identity.personal_data import personal_data_section

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
    """Rows addressed to the person lose account, address and context; waiting ones are dropped."""
    pending, skipped = OutboxMessage.State.PENDING, OutboxMessage.State.SKIPPED
    messages_of(user=user).update(
        recipient=None,
        address="",
        context={},
        state=Case(When(state=pending, then=Value(skipped)), default=F("state")),
    )


personal_data_section("messages", export=messages_export, erase=messages_erase)
