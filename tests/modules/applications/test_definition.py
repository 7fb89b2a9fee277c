"""A form definition is checked against the published schema; each problem names its JSON path."""

import json

import pytest

from rathaus.modules.applications.definition import (
    Step,
    definition_parse,
    definition_problems,
)
from rathaus.modules.applications.forms import StepForm, answer_display, step_initial
from tests.modules.applications.conftest import dog_definition


def test_the_demo_form_is_a_good_definition() -> None:
    assert definition_problems(dog_definition()) == []


def test_a_wrong_field_type_is_named_by_its_json_path() -> None:
    definition = dog_definition()
    definition["steps"][1]["fields"][0]["type"] = "colour"

    problems = definition_problems(definition)

    assert len(problems) == 1
    assert problems[0].startswith("$.steps[1].fields[0].type: 'colour' is not one of ['text',")


def test_every_problem_of_a_file_is_listed_with_its_place() -> None:
    definition = dog_definition()
    del definition["title"]
    definition["steps"][0]["fields"][1]["label"] = {"en": "Name only in English"}
    definition["steps"][1]["fields"][2]["options"] = []
    definition["steps"][1]["fields"].append(
        {"key": "size", "type": "choice", "label": {"de": "Größe"}}
    )

    problems = definition_problems(definition)

    assert "$: 'title' is a required property" in problems
    assert "$.steps[0].fields[1].label: 'de' is a required property" in problems
    assert "$.steps[1].fields[2].options: [] should be non-empty" in problems
    assert "$.steps[1].fields[9]: 'options' is a required property" in problems


def test_what_the_schema_cannot_say_is_checked_too() -> None:
    definition = dog_definition()
    definition["steps"][1]["fields"][1]["key"] = "owner_name"
    definition["receipt_email"] = "dog_name"
    definition["life_situations"] = ["haustiere"]

    problems = definition_problems(definition)

    assert problems == [
        "$.life_situations[0]: 'haustiere' is no life situation",
        "$.steps[1].fields[1].key: 'owner_name' is used by another field",
        "$.receipt_email: 'dog_name' is no e-mail field of the form",
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"{kaputt", "$: the file is no JSON"),
        (b"[]", "$: [] is not of type 'object'"),
        (
            json.dumps({**dog_definition(), "slug": "account"}).encode(),
            "$.slug: 'account' is reserved",
        ),
    ],
)
def test_a_bad_file_is_refused(raw: bytes, expected: str) -> None:
    definition, problems = definition_parse(raw)

    assert definition is None
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_decimal_is_read_the_german_way_and_shown_so_again() -> None:
    spec = {"key": "fee", "type": "number", "decimals": 2, "label": {"de": "Betrag"}}
    step = Step(1, "money", "Geld", (spec,))
    german = StepForm({"fee": "1.234,50"}, step=step)
    plain = StepForm({"fee": "12,50"}, step=step)

    assert not german.is_valid()  # no thousand separators: never read as 1.23450
    assert plain.is_valid()
    assert plain.stored() == {"fee": "12.50"}
    assert step_initial(step, plain.stored()) == {"fee": "12,50"}
    pointed = StepForm({"fee": "12.50"}, step=step)
    assert pointed.is_valid()
    assert pointed.stored() == {"fee": "12.50"}
    assert answer_display(spec, "12.50") == "12,50"
