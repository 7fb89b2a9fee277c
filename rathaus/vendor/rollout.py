"""Statewide rollout: many towns from one CSV file, validated as a whole before anything is made.

The file has the columns ``ags,name,slug,admin_email,modules`` (modules
separated by ``;``, empty for the default modules). ``rollout_read`` returns
the rows and every problem with its line and column; only a file without
problems is rolled out. ``rollout_run`` onboards each town that does not
exist yet, one transaction per town, so a second run (or a run after a crash)
continues where the first stopped and never makes a town twice.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality
from rathaus.vendor.onboarding import (
    onboarding_errors,
    onboarding_hosts,
    taken_names,
    tenant_onboard,
)

COLUMNS = ("ags", "name", "slug", "admin_email", "modules")
# Which CSV column a field error of onboarding belongs to.
FIELD_COLUMN = {"domains": "slug"}


@dataclass(frozen=True)
class RolloutRow:
    line: int
    ags: str
    name: str
    slug: str
    admin_email: str
    modules: list[str] | None  # None: the default modules


@dataclass(frozen=True)
class RolloutProblem:
    line: int
    column: str  # "" for the whole line or file
    message: str

    def __str__(self) -> str:
        where = _("Zeile %(line)d") % {"line": self.line}
        if self.column:
            where += ", " + _("Spalte %(column)s") % {"column": self.column}
        return f"{where}: {self.message}"


@dataclass
class RolloutResult:
    created: list[Municipality] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)  # AGS already onboarded


def rollout_read(*, text: str) -> tuple[list[RolloutRow], list[RolloutProblem]]:
    """Parses and checks a whole rollout file; returns its rows and every problem found.

    What exists already (AGS, slugs, host names) is looked up for all rows at
    once: three queries, however long the file.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        message = _("Es fehlen Spalten: %(columns)s") % {"columns": ", ".join(missing)}
        return [], [RolloutProblem(1, "", message)]

    rows: list[RolloutRow] = []
    row_problems: list[list[RolloutProblem]] = []
    seen_ags: dict[str, int] = {}
    seen_slug: dict[str, int] = {}
    for record in reader:
        line = reader.line_num
        values = {
            (key or "").strip(): (value or "").strip()
            for key, value in record.items()
            if not isinstance(value, list)
        }
        found = []
        for column in ("ags", "name", "slug", "admin_email"):
            if not values.get(column):
                found.append(RolloutProblem(line, column, _("Pflichtfeld ist leer.")))
        modules_text = values.get("modules", "")
        modules = [key.strip() for key in modules_text.split(";") if key.strip()] or None
        row = RolloutRow(
            line=line,
            ags=values.get("ags", ""),
            name=values.get("name", ""),
            slug=values.get("slug", "").lower(),
            admin_email=values.get("admin_email", ""),
            modules=modules,
        )
        if row.ags in seen_ags:
            message = _("Gemeindeschlüssel steht schon in Zeile %(line)d.") % {
                "line": seen_ags[row.ags]
            }
            found.append(RolloutProblem(line, "ags", message))
        if row.slug in seen_slug:
            message = _("Kurzname steht schon in Zeile %(line)d.") % {"line": seen_slug[row.slug]}
            found.append(RolloutProblem(line, "slug", message))
        if row.ags:
            seen_ags.setdefault(row.ags, line)
        if row.slug:
            seen_slug.setdefault(row.slug, line)
        rows.append(row)
        row_problems.append(found)

    existing = set(
        Municipality.objects.filter(ags__in={row.ags for row in rows}).values_list("ags", flat=True)
    )
    taken = taken_names(
        slugs=[row.slug for row in rows],
        hosts=[host for row in rows for host in onboarding_hosts(slug=row.slug)],
    )
    problems: list[RolloutProblem] = []
    for row, found in zip(rows, row_problems, strict=True):
        blank = {problem.column for problem in found}
        if row.ags not in existing:
            errors = onboarding_errors(
                ags=row.ags,
                name=row.name,
                slug=row.slug,
                admin_email=row.admin_email,
                modules=row.modules,
                taken=taken,
            )
            for name, messages in errors.items():
                column = FIELD_COLUMN.get(name, name)
                if column in blank:
                    continue
                found.extend(RolloutProblem(row.line, column, msg) for msg in messages)
        problems.extend(found)
    if not rows and not problems:
        problems.append(RolloutProblem(1, "", _("Die Datei enthält keine Kommunen.")))
    return rows, problems


def rollout_run(
    *,
    rows: Iterable[RolloutRow],
    actor: Actor,
    progress: Callable[[RolloutRow, bool], None] | None = None,
    federation_preset: Any = None,
) -> RolloutResult:
    """Onboards every row's town that does not exist yet; each town is its own transaction.

    With ``federation_preset`` (e.g. "Servicekonto Sachsen-Anhalt") every town
    of the file that has no state-account settings of that protocol yet gets
    them, so a run after a crash also completes the towns it made before.
    ``progress(row, created)`` is called after each row.
    """
    from rathaus.platform.federation.presets.services import all_tenants_preset_fill

    result = RolloutResult()
    for row in rows:
        onboarding = tenant_onboard(
            ags=row.ags,
            name=row.name,
            slug=row.slug,
            admin_email=row.admin_email,
            modules=row.modules,
            actor=actor,
        )
        if federation_preset is not None:
            all_tenants_preset_fill(preset=federation_preset, towns=[onboarding.town], actor=actor)
        if onboarding.created:
            result.created.append(onboarding.town)
        else:
            result.existing.append(row.ags)
        if progress is not None:
            progress(row, onboarding.created)
    return result
