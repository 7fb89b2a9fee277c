"""How the audit log words the back office's own actions: team, support, appearance."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import AuditWords, audit_wording, changes_generic
from rathaus.platform.staff.roles import role_label


def _roles(keys: Any) -> str:
    return ", ".join(f"„{role_label(key)}“" for key in (keys or []))


@audit_wording("staff.", label=gettext_lazy("Team und Rollen"))
def staff_words(entry: AuditEntry, actor: str) -> AuditWords | None:
    who = entry.target
    if entry.action == "staff.create":
        return AuditWords(
            _("%(actor)s hat ein Konto für %(who)s angelegt.") % {"actor": actor, "who": who}
        )
    if entry.action == "staff.invited":
        return AuditWords(
            _("%(actor)s hat %(who)s per E-Mail in die Online-Verwaltung eingeladen.")
            % {"actor": actor, "who": who}
        )
    if entry.action == "staff.roles":
        before, after = set(entry.before or []), set(entry.after or [])
        given, taken = sorted(after - before), sorted(before - after)
        if not after:
            sentence = _("%(actor)s hat %(who)s aus dem Team entfernt.")
        elif not before:
            sentence = _("%(actor)s hat %(who)s ins Team aufgenommen.")
        else:
            sentence = _("%(actor)s hat die Rollen von %(who)s geändert.")
        details = []
        if given:
            details.append(_("Neue Rollen: %(roles)s") % {"roles": _roles(given)})
        if taken:
            details.append(_("Entzogene Rollen: %(roles)s") % {"roles": _roles(taken)})
        return AuditWords(sentence % {"actor": actor, "who": who}, details)
    if entry.action == "staff.policy":
        sentence = (
            _("%(actor)s verlangt jetzt vom ganzen Team einen zweiten Faktor.")
            if entry.after
            else _("%(actor)s verlangt vom Team keinen zweiten Faktor mehr.")
        )
        return AuditWords(sentence % {"actor": actor})
    return None


@audit_wording("support.", label=gettext_lazy("Support-Zugang des Betreibers"))
def support_words(entry: AuditEntry, actor: str) -> AuditWords | None:
    if entry.action == "support.start":
        return AuditWords(
            _("%(actor)s hat eine Support-Sitzung begonnen.") % {"actor": actor},
            [_("Grund: %(reason)s") % {"reason": entry.target}] if entry.target else [],
        )
    return None


BRANDING_LABELS = {
    "display_name": gettext_lazy("Angezeigter Name"),
    "primary_color": gettext_lazy("Hauptfarbe"),
    "logo": gettext_lazy("Logo"),
    "coat_of_arms": gettext_lazy("Wappen"),
    "contact_email": gettext_lazy("E-Mail-Adresse"),
    "contact_phone": gettext_lazy("Telefon"),
    "imprint_url": gettext_lazy("Impressum"),
    "privacy_url": gettext_lazy("Datenschutzerklärung"),
}


@audit_wording("branding.", label=gettext_lazy("Erscheinungsbild"))
def branding_words(entry: AuditEntry, actor: str) -> AuditWords:
    # Field names the labels above do not know (added later) are shown as they are.
    return AuditWords(
        _("%(actor)s hat das Erscheinungsbild geändert.") % {"actor": actor},
        changes_generic(entry.before, entry.after, labels=dict(BRANDING_LABELS)),
    )
