"""Verifying a town's audit chain (the database writes it: migration 0003_hash_chain).

An entry is intact when its ``previous_hash`` is the hash of the entry before it (the
genesis value for the first) and its ``entry_hash`` is the digest of its fields. A row
rewritten by someone who may bypass the append-only trigger breaks the chain at that
row; rows removed from the middle break it at the next one. Rows cut off at the end
leave an intact but shorter chain: anchors, the head's id and hash recorded outside the
town's schema from time to time, show that.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django_tenants.utils import schema_context

from rathaus.tenants.models import Municipality

GENESIS = "0" * 64


@dataclass(frozen=True)
class ChainReport:
    """The verdict on one town's chain: ``broken_at`` is the first entry that fails (or,
    for a missing anchored entry, the anchor's id), ``reason`` says how."""

    entries: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def audit_chain_head(*, town: Municipality) -> tuple[int, str] | None:
    """The id and hash of the town's newest audit entry, for an anchor; None when empty."""
    with schema_context(town.schema_name), connection.cursor() as cursor:
        cursor.execute("SELECT id, entry_hash FROM audit_auditentry ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return (row[0], row[1]) if row else None


def audit_chain_verify(
    *, town: Municipality, anchors: Iterable[tuple[int, str]] = ()
) -> ChainReport:
    """Walks the town's whole chain in id order and checks each anchor ``(id, hash)``
    against it. Reads in batches (a server-side cursor where the settings allow one)."""
    expected = dict(anchors)
    seen = 0
    previous = GENESIS
    with schema_context(town.schema_name), connection.chunked_cursor() as cursor:
        cursor.execute(
            """SELECT id, previous_hash, entry_hash,
                      audit_entry_digest(previous_hash, id, created_at, actor_kind, actor,
                                         action, target, before, after)
               FROM audit_auditentry ORDER BY id"""
        )
        while rows := cursor.fetchmany(2000):
            for entry_id, previous_hash, entry_hash, digest in rows:
                seen += 1
                if previous_hash != previous:
                    return ChainReport(seen, entry_id, "the entry before it is missing or changed")
                if entry_hash != digest:
                    return ChainReport(seen, entry_id, "the entry was changed after it was written")
                if entry_id in expected and expected.pop(entry_id) != entry_hash:
                    return ChainReport(seen, entry_id, "the entry differs from its anchor")
                previous = entry_hash
    if expected:
        missing = min(expected)
        return ChainReport(seen, missing, "an anchored entry is missing (entries were removed)")
    return ChainReport(seen)
