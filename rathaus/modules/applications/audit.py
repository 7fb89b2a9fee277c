"""The applications module's words in the town's audit log."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Form, Submission


def _status(value: Any) -> str:
    return str(dict(Submission.Status.choices).get(str(value), value))


def _title(slug: str) -> str:
    form = Form.objects.filter(slug=slug).first()
    return form.title if form else slug


def applications_audit_words(
    *, action: str, target: str, before: Any, after: Any, actor: str
) -> str | None:
    version = after.get("version") if isinstance(after, dict) else None
    if action == "applications.form.upload":
        return _("%(actor)s hat Version %(version)s des Formulars „%(title)s“ hochgeladen.") % {
            "actor": actor,
            "version": version,
            "title": _title(target),
        }
    if action == "applications.form.publish":
        return _("%(actor)s hat Version %(version)s des Formulars „%(title)s“ veröffentlicht.") % {
            "actor": actor,
            "version": version,
            "title": _title(target),
        }
    if action == "applications.case.status":
        return _(
            "%(actor)s hat den Antrag %(reference)s von „%(before)s“ auf „%(after)s“ gesetzt."
        ) % {
            "actor": actor,
            "reference": target,
            "before": _status(before),
            "after": _status(after),
        }
    if action == "applications.case.query":
        return _("%(actor)s hat zum Antrag %(reference)s eine Rückfrage gestellt.") % {
            "actor": actor,
            "reference": target,
        }
    if action == "applications.case.answer":
        files = int(after.get("files", 0)) if isinstance(after, dict) else 0
        return ngettext(
            "Die Rückfrage zum Antrag %(reference)s ist beantwortet (%(n)s Datei).",
            "Die Rückfrage zum Antrag %(reference)s ist beantwortet (%(n)s Dateien).",
            files,
        ) % {"reference": target, "n": files}
    if action == "applications.case.assign":
        if after:
            return _("%(actor)s hat den Antrag %(reference)s %(who)s zugewiesen.") % {
                "actor": actor,
                "reference": target,
                "who": after,
            }
        return _("%(actor)s hat den Antrag %(reference)s niemandem mehr zugewiesen.") % {
            "actor": actor,
            "reference": target,
        }
    if action == "applications.case.note":
        return _("%(actor)s hat zum Antrag %(reference)s eine interne Notiz geschrieben.") % {
            "actor": actor,
            "reference": target,
        }
    if action == "applications.case.decision":
        return _(
            "%(actor)s hat über den Antrag %(reference)s entschieden (%(after)s) "
            "und den Bescheid gesendet."
        ) % {"actor": actor, "reference": target, "after": _status(after)}
    if action == "applications.case.export":
        count = int(after.get("count", 0)) if isinstance(after, dict) else 0
        return ngettext(
            "%(actor)s hat %(n)s Antrag als CSV-Datei heruntergeladen.",
            "%(actor)s hat %(n)s Anträge als CSV-Datei heruntergeladen.",
            count,
        ) % {"actor": actor, "n": count}
    if action == "applications.case.retention" and isinstance(after, dict):
        parts = []
        if anonymised := after.get("anonymised"):
            parts.append(
                ngettext(
                    "%(n)s Antrag anonymisiert (%(refs)s)",
                    "%(n)s Anträge anonymisiert (%(refs)s)",
                    len(anonymised),
                )
                % {"n": len(anonymised), "refs": ", ".join(anonymised)}
            )
        if deleted := after.get("deleted"):
            parts.append(
                ngettext(
                    "%(n)s Antrag gelöscht (%(refs)s)",
                    "%(n)s Anträge gelöscht (%(refs)s)",
                    len(deleted),
                )
                % {"n": len(deleted), "refs": ", ".join(deleted)}
            )
        if drafts := int(after.get("drafts") or 0):
            parts.append(
                ngettext("%(n)s Entwurf gelöscht", "%(n)s Entwürfe gelöscht", drafts)
                % {"n": drafts}
            )
        return _("Aufbewahrungsfrist des Formulars „%(title)s“ abgelaufen: %(what)s.") % {
            "title": _title(target),
            "what": "; ".join(parts),
        }
    if action == "applications.case.paid":
        payment = after.get("payment", "") if isinstance(after, dict) else ""
        return _(
            "Die Gebühr zum Antrag %(reference)s ist bezahlt (Kassenzeichen %(payment)s); "
            "der Antrag ist jetzt eingegangen."
        ) % {"reference": target, "payment": payment}
    return None


def applications_switch_off_consequences() -> list[str]:
    said = []
    open_cases = Submission.objects.filter(
        status__in=[
            Submission.Status.AWAITING_PAYMENT,
            Submission.Status.RECEIVED,
            Submission.Status.IN_PROGRESS,
        ]
    ).count()
    if open_cases:
        said.append(
            ngettext(
                "%(n)s offener Antrag bleibt gespeichert; bearbeiten können Sie ihn erst wieder, "
                "wenn der Dienst eingeschaltet ist.",
                "%(n)s offene Anträge bleiben gespeichert; bearbeiten können Sie sie erst wieder, "
                "wenn der Dienst eingeschaltet ist.",
                open_cases,
            )
            % {"n": open_cases}
        )
    said.append(
        _(
            "Bürgerinnen und Bürger können keine Anträge mehr online stellen; "
            "begonnene Anträge gehen verloren."
        )
    )
    return said
