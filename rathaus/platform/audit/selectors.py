"""Reading a town's audit log (from inside the town's schema)."""

from datetime import date

from django.db.models import QuerySet

from rathaus.platform.audit.models import AuditEntry


def audit_entries(
    *,
    actor: str = "",
    person: str = "",
    action: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The current town's audit entries, newest first, filtered by whatever is given.

    ``person``: exactly this actor (``kind:label``, as ``audit_actors`` gives them);
    ``actor``: any actor whose label contains the text; ``action``: an action or
    the prefix of some ("module.").
    """
    entries = AuditEntry.objects.all()
    if person:
        kind, _sep, label = person.partition(":")
        entries = entries.filter(actor_kind=kind, actor=label)
    if actor:
        entries = entries.filter(actor__icontains=actor)
    if action:
        entries = entries.filter(action__startswith=action)
    if target:
        entries = entries.filter(target__icontains=target)
    if since:
        entries = entries.filter(created_at__date__gte=since)
    if until:
        entries = entries.filter(created_at__date__lte=until)
    return entries


def audit_actors() -> list[AuditEntry]:
    """One entry for each actor in the current town's log (kind and label), for a filter."""
    pairs = AuditEntry.objects.order_by("actor_kind", "actor").values_list("actor_kind", "actor")
    return [AuditEntry(actor_kind=kind, actor=label) for kind, label in pairs.distinct()]
