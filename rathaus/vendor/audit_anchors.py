"""Anchoring and verifying every town's audit chain (the vendor's side of it)."""

import logging
from dataclasses import dataclass

from rathaus.platform.audit.chain import ChainReport, audit_chain_head, audit_chain_verify
from rathaus.tenants.models import Municipality
from rathaus.vendor.models import AuditAnchor

logger = logging.getLogger(__name__)


def all_tenants_audit_anchor() -> int:
    """Records the head of each town's chain that has moved since its last anchor;
    returns how many were recorded. Idempotent: an unchanged head is anchored once."""
    recorded = 0
    for town in Municipality.objects.exclude(schema_name="public").order_by("pk"):
        head = audit_chain_head(town=town)
        if head is None:
            continue
        _anchor, created = AuditAnchor.objects.get_or_create(
            town=town, entry_id=head[0], defaults={"entry_hash": head[1]}
        )
        if created:
            recorded += 1
            logger.info(
                "audit anchor", extra={"town": town.slug, "entry": head[0], "hash": head[1]}
            )
    return recorded


@dataclass(frozen=True)
class TownChain:
    town: Municipality
    report: ChainReport


def town_audit_verify(*, town: Municipality) -> TownChain:
    """The town's chain checked from its first entry, against every anchor of it."""
    anchors = AuditAnchor.objects.filter(town=town).values_list("entry_id", "entry_hash")
    return TownChain(town, audit_chain_verify(town=town, anchors=list(anchors)))
