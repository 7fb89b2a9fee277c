"""Writing to a town's audit log. Every configuration change and staff action goes through here."""

from dataclasses import dataclass
from typing import Any

from django_tenants.utils import schema_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.tenants.models import Municipality


@dataclass(frozen=True)
class Actor:
    """Who did something: a town's staff member, the vendor's staff, or the system."""

    kind: AuditEntry.ActorKind
    label: str

    @classmethod
    def staff(cls, user: Any) -> "Actor":
        return cls(AuditEntry.ActorKind.STAFF, str(user.email))

    @classmethod
    def vendor(cls, user: Any) -> "Actor":
        return cls(AuditEntry.ActorKind.VENDOR, str(user.email))

    @classmethod
    def vendor_support(cls, email: str) -> "Actor":
        return cls(AuditEntry.ActorKind.VENDOR, f"{email} (Support)")

    @classmethod
    def system(cls, what: str = "system") -> "Actor":
        return cls(AuditEntry.ActorKind.SYSTEM, what)


def audit_record(
    *,
    town: Municipality,
    actor: Actor,
    action: str,
    target: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEntry:
    """Appends an entry to ``town``'s audit log (in the town's schema, from any schema)."""
    with schema_context(town.schema_name):
        return AuditEntry.objects.create(
            actor_kind=actor.kind,
            actor=actor.label,
            action=action,
            target=target,
            before=before,
            after=after,
        )
