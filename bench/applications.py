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
from rathaus.modules.applications.models import Form, FormVersion  # noqa: E402
from rathaus.modules.applications.services import draft_save  # noqa: E402
from rathaus.tenants.services import municipality_create  # noqa: E402

GOAL_P95_MS = 30.0
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
    rounds = parser.parse_args().rounds
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


if __name__ == "__main__":
    main()
