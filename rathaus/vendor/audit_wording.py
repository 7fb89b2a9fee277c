"""How a town's audit log words what the vendor did to the town (onboarding, lifecycle)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import AuditWords, audit_wording, plain
from rathaus.tenants.models import Municipality


def _status(value: object) -> str:
    if value in Municipality.Status.values:
        return str(Municipality.Status(value).label)
    return plain(value)


@audit_wording("town.", label=gettext_lazy("Kommune (Betreiber)"))
def town_words(entry: AuditEntry, actor: str) -> AuditWords | None:
    values = {"actor": actor, "target": entry.target}
    if entry.action == "town.onboard":
        after = entry.after if isinstance(entry.after, dict) else {}
        details = []
        if after.get("admin"):
            details.append(_("Erste Verwaltung: %(who)s") % {"who": after["admin"]})
        if after.get("domains"):
            details.append(_("Adressen: %(hosts)s") % {"hosts": plain(after["domains"])})
        return AuditWords(_("%(actor)s hat die Kommune eingerichtet.") % values, details)
    if entry.action == "town.status":
        return AuditWords(
            _("%(actor)s hat den Zugang der Kommune geändert.") % values,
            [f"{_status(entry.before)} → {_status(entry.after)}"],
        )
    if entry.action == "town.rename":
        return AuditWords(
            _("%(actor)s hat den Kurznamen der Kommune geändert.") % values,
            [f"{plain(entry.before)} → {plain(entry.after)}"],
        )
    if entry.action == "town.domain_add":
        return AuditWords(_("%(actor)s hat die Adresse %(target)s hinzugefügt.") % values)
    if entry.action == "town.offboard":
        return AuditWords(
            _("%(actor)s hat die Kommune abgemeldet und ihre Daten archiviert.") % values
        )
    if entry.action == "town.restore":
        return AuditWords(_("%(actor)s hat die Kommune wiederhergestellt.") % values)
    return None
