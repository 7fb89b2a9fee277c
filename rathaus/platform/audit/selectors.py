"""Reading a town's audit log (from inside the town's schema)."""

from datetime import date

from django.db.models import QuerySet

from rathaus.platform.audit.models import AuditEntry


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    target: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The current town's audit entries, newest first, filtered by whatever is given."""
    entries = AuditEntry.objects.all()
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
