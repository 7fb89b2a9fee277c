"""Online applications benchmark: server validation and save of a step.

Runs in a scratch database of its own (bench/_setup.py; no environment needed), in a
bench town (AGS 15999998), through the real code: the step's Django form built from
the definition (``StepForm``), its validation with the form's JSON Logic conditions
evaluated on the server, and the save of the answers (``draft_save``, one row in the
town's schema, as "Speichern und später weitermachen" does).

    .venv/bin/python bench/applications.py [--rounds 400]

The form has 4 steps of 10 fields each (text, number, money, date, choice, checkboxes,
yes/no, e-mail, phone, IBAN, address) and 10 conditions (show/hide and required-if,
reading answers of the same and of earlier steps) and a computed fee. Each round
validates and saves one step (round-robin over the four) with good answers.

Prints p50_ms and p95_ms of one step (validation and save), then the ratio against
the issue's goal (p95 30 ms; below 1 is better).

Then the receipt PDF (``pdf.receipt_pdf``, tagged, for an application of that form):
``receipts_per_s`` against the goal of 20 a second; and the staff inbox with
``--cases`` applications (default 100,000, bulk inserted): the first page of 50 as the
page shows it (the count for the pages and the rows, filtered by form and status, and
searched by a name), ``inbox_ms`` of each against the goal of 100 ms.
"""

import argparse
import statistics
import time
from typing import Any

from _setup import bench_setup

bench_setup("applications", timeout=900)

from django_tenants.utils import schema_context  # noqa: E402

from rathaus.modules.applications.definition import (  # noqa: E402
    definition_problems,
    steps_of,
)
from rathaus.modules.applications.forms import StepForm  # noqa: E402
from rathaus.modules.applications.models import Form, FormVersion, Submission  # noqa: E402
from rathaus.modules.applications.pdf import receipt_pdf  # noqa: E402
from rathaus.modules.applications.selectors import inbox  # noqa: E402
from rathaus.modules.applications.services import draft_save  # noqa: E402
from rathaus.tenants.services import municipality_create  # noqa: E402

GOAL_P95_MS = 30.0
GOAL_RECEIPTS_PER_S = 20.0
GOAL_INBOX_MS = 100.0
OPTIONS = [{"value": v, "label": {"de": v.title()}} for v in ("eins", "zwei", "drei")]


def _fields(step: int) -> list[dict[str, Any]]:
    k = f"s{step}"
    previous = f"s{step - 1}_count" if step > 1 else f"{k}_count"
    return [
        {"key": f"{k}_name", "type": "text", "required": True, "label": {"de": "Name"}},
        {
            "key": f"{k}_count",
            "type": "number",
            "required": True,
            "min": 0,
            "max": 9,
            "label": {"de": "Anzahl"},
        },
        {
            "key": f"{k}_amount",
            "type": "money",
            "label": {"de": "Betrag"},
            "visible_if": {">": [{"var": f"{k}_count"}, 0]},
            "required_if": {">": [{"var": f"{k}_count"}, 1]},
        },
        {
            "key": f"{k}_date",
            "type": "date",
            "required": True,
            "max": "today",
            "label": {"de": "Datum"},
        },
        {
            "key": f"{k}_kind",
            "type": "choice",
            "required": True,
            "options": OPTIONS,
            "label": {"de": "Art"},
        },
        {
            "key": f"{k}_topics",
            "type": "choice",
            "widget": "checkboxes",
            "options": OPTIONS,
            "label": {"de": "Themen"},
            "visible_if": {">=": [{"var": previous}, 0]},
        },
        {"key": f"{k}_ok", "type": "yes_no", "required": True, "label": {"de": "In Ordnung?"}},
        {"key": f"{k}_mail", "type": "email", "required": True, "label": {"de": "E-Mail"}},
        {"key": f"{k}_phone", "type": "phone", "label": {"de": "Telefon"}},
        {"key": f"{k}_iban", "type": "iban", "label": {"de": "IBAN"}}
        if step % 2
        else {
            "key": f"{k}_home",
            "type": "address",
            "required": True,
            "label": {"de": "Anschrift"},
        },
    ]


def definition() -> dict[str, Any]:
    steps: list[dict[str, Any]] = [
        {"key": f"step{n}", "title": {"de": f"Schritt {n}"}, "fields": _fields(n)}
        for n in range(1, 5)
    ]
    # Conditions: 2 per step on fields (8) + a step shown by an answer + the fee (10).
    steps[3]["visible_if"] = {"==": [{"var": "s1_ok"}, "yes"]}
    steps[3]["fields"].append(
        {
            "key": "fee",
            "type": "computed",
            "label": {"de": "Gebühr"},
            "compute": {"*": [{"var": "s1_count"}, 12.5]},
        }
    )
    return {"format": "rathaus-form/1", "slug": "bench", "title": {"de": "Bench"}, "steps": steps}


def answers(step: int) -> dict[str, Any]:
    k = f"s{step}"
    data: dict[str, Any] = {
        f"{k}_name": "Erika Mustermann",
        f"{k}_count": "2",
        f"{k}_amount": "12,50",
        f"{k}_date": "2021-05-24",
        f"{k}_kind": "zwei",
        f"{k}_topics": ["eins", "drei"],
        f"{k}_ok": "yes",
        f"{k}_mail": "erika@example.org",
        f"{k}_phone": "03935 123456",
    }
    if step % 2:
        data[f"{k}_iban"] = "DE02 1203 0000 0000 2020 51"
    else:
        data |= {
            f"{k}_home_street": "Markt 1",
            f"{k}_home_postcode": "39517",
            f"{k}_home_town": "Tangerhütte",
        }
    return data


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=400)
    parser.add_argument("--receipts", type=int, default=100)
    parser.add_argument("--cases", type=int, default=100_000)
    arguments = parser.parse_args()
    rounds = arguments.rounds
    town = municipality_create(name="Formhausen", slug="formhausen", ags="15999998")
    form_definition = definition()
    problems = definition_problems(form_definition)
    assert not problems, problems
    steps = steps_of(form_definition)
    with schema_context(town.schema_name):
        form = Form.objects.create(slug="bench", title="Bench")
        version = FormVersion.objects.create(form=form, number=1, definition=form_definition)
        stored: dict[str, Any] = {}
        draft_pk = None
        timings = []
        for n in range(rounds + 20):
            step = steps[n % 4]
            started = time.perf_counter()
            step_form = StepForm(
                answers(step.index), step=step, answers=stored, definition=form_definition
            )
            assert step_form.is_valid(), step_form.errors
            stored.update(step_form.stored())
            draft_pk = draft_save(
                version=version, answers=stored, done=[step.index], user=None, draft_pk=draft_pk
            ).pk
            elapsed = (time.perf_counter() - started) * 1000
            if n >= 20:  # the first rounds warm caches and the connection
                timings.append(elapsed)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        print(f"fields: {sum(len(s.fields) for s in steps)}, steps: {len(steps)}, rounds: {rounds}")
        print(f"p50_ms: {statistics.median(timings):.2f}")
        print(f"p95_ms: {p95:.2f}")
        print(f"ratio p95 / goal {GOAL_P95_MS:.0f} ms: {p95 / GOAL_P95_MS:.2f}")
        version.published_at = version.created_at
        version.save(update_fields=["published_at"])
        _receipts(town, version, stored, arguments.receipts)
        _inbox(version, stored, arguments.cases)


def _receipts(town: Any, version: FormVersion, stored: dict[str, Any], count: int) -> None:
    case = Submission.objects.create(
        reference="A-2026-000000", form=version.form, version=version, answers=stored
    )
    receipt_pdf(town=town, submission=case)  # fonts and templates warm
    started = time.perf_counter()
    for _n in range(count):
        receipt_pdf(town=town, submission=case)
    per_second = count / (time.perf_counter() - started)
    print(f"receipts: {count}, receipts_per_s: {per_second:.1f}")
    ratio = GOAL_RECEIPTS_PER_S / per_second
    print(f"ratio goal {GOAL_RECEIPTS_PER_S:.0f}/s / receipts_per_s: {ratio:.2f}")


def _inbox(version: FormVersion, stored: dict[str, Any], count: int) -> None:
    statuses = [s for s, _label in Submission.Status.choices]
    names = ["Erika Mustermann", "Max Bauer", "Lena Schulz", "Jonas Weber"]
    batch = []
    for n in range(1, count + 1):
        batch.append(
            Submission(
                reference=f"B-2026-{n:07d}",
                form=version.form,
                version=version,
                answers=stored,
                status=statuses[n % len(statuses)],
                applicant_name=f"{names[n % len(names)]} {n}",
            )
        )
        if len(batch) == 5000:
            Submission.objects.bulk_create(batch)
            batch = []
    Submission.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE applications_submission")
    print(f"inbox: {Submission.objects.count()} applications")
    looks: dict[str, dict[str, Any]] = {
        "all": {},
        "form_and_status": {"form": version.form, "status": "in_progress"},
        "name_search": {"reference": "Bauer 4"},
    }
    for name, filters in looks.items():
        timings = []
        for _n in range(12):
            started = time.perf_counter()
            cases = inbox(**filters)
            total = cases.count()
            rows = list(cases[:50])
            timings.append((time.perf_counter() - started) * 1000)
        timings = sorted(timings[2:])
        ms = statistics.median(timings)
        print(f"inbox_ms ({name}, {total} found, {len(rows)} shown): {ms:.1f}")
        print(f"ratio inbox {name} / goal {GOAL_INBOX_MS:.0f} ms: {ms / GOAL_INBOX_MS:.2f}")


if __name__ == "__main__":
    main()
