"""The module's data of a town as plain tables (offboarding)."""

from typing import Any

from .models import Form, FormVersion, Submission


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
                "answers": s.answers,
            }
            for s in Submission.objects.select_related("form", "version").order_by("pk")
        ],
    }
