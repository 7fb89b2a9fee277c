"""The module's data of a town as plain tables (offboarding)."""

from typing import Any

from .models import CaseEvent, Form, FormVersion, Submission


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def applications_town_export() -> dict[str, list[dict[str, Any]]]:
    return {
        "forms": [
            {
                "slug": f.slug,
                "title": f.title,
                "live_version": f.live_version.number if f.live_version else None,
            }
            for f in Form.objects.select_related("live_version").order_by("pk")
        ],
        "form_versions": [
            {
                "form": v.form.slug,
                "number": v.number,
                "published_at": _iso(v.published_at),
                "definition": v.definition,
            }
            for v in FormVersion.objects.select_related("form").order_by("pk")
        ],
        "submissions": [
            {
                "reference": s.reference,
                "form": s.form.slug,
                "version": s.version.number,
                "status": s.status,
                "submitted_at": _iso(s.submitted_at),
                "email": s.email,
                "applicant_name": s.applicant_name,
                "assignee": s.assignee.email if s.assignee else "",
                "answers": s.answers,
            }
            for s in Submission.objects.select_related("form", "version", "assignee").order_by("pk")
        ],
        # Rückfragen, answers, internal notes and decisions; files by their stored name.
        "case_events": [
            {
                "submission": e.submission.reference,
                "kind": e.kind,
                "created_at": _iso(e.created_at),
                "author": e.author.email if e.author else "",
                "text": e.text,
                "files": [
                    {key: item.get(key) for key in ("name", "file", "size", "sha256")}
                    for item in e.files
                ],
            }
            for e in CaseEvent.objects.select_related("submission", "author").order_by("pk")
        ],
    }
