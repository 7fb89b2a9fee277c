"""A form definition: checked against the published JSON Schema, and read in one language.

The schema (``schema/form-definition.schema.json``) says what a definition looks
like; ``definition_problems`` adds what a schema cannot say (keys unique within the
form, the receipt's e-mail field exists). Every problem names the place in the file
as a JSON path, e.g. ``$.steps[1].fields[0].type: 'colour' is not one of [...]``.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError as SchemaError

from rathaus.platform.catalogue.life_situations import LIFE_SITUATION_KEYS

from .logic import RULE_KEYS, rule_holds, rule_money, rule_problems

SCHEMA_PATH = Path(__file__).parent / "schema" / "form-definition.schema.json"
# Parts of the module's own addresses a form's slug must not take.
RESERVED_SLUGS = frozenset({"account", "pay", "case"})
# What a citizen types in; a text block and a declaration are read, not filled in.
INPUT_TYPES = frozenset(
    {
        "text",
        "long_text",
        "number",
        "money",
        "date",
        "choice",
        "yes_no",
        "email",
        "phone",
        "iban",
        "address",
        "file",
    }
)
# The parts of a postal address, each its own input ("owner_address_postcode").
ADDRESS_PARTS = ("street", "postcode", "town")
NUMERIC_TYPES = frozenset({"number", "money"})


@cache
def definition_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return schema


def _schema_problems(definition: object) -> Iterator[str]:
    validator = Draft202012Validator(definition_schema())
    errors: list[SchemaError] = sorted(
        validator.iter_errors(definition), key=lambda e: [str(p) for p in e.absolute_path]
    )
    for error in errors:
        # The innermost errors of an if/then say what is wrong, not "failed allOf".
        leaves = error.context or [error]
        for leaf in leaves:
            yield f"{leaf.json_path}: {leaf.message}"


def _semantic_problems(definition: dict[str, Any]) -> Iterator[str]:
    if definition["slug"] in RESERVED_SLUGS:
        yield f"$.slug: '{definition['slug']}' is reserved"
    for index, key in enumerate(definition.get("life_situations", [])):
        if key not in LIFE_SITUATION_KEYS:
            yield f"$.life_situations[{index}]: '{key}' is no life situation"
    step_keys: set[str] = set()
    field_types: dict[str, str] = {}
    for s, step in enumerate(definition["steps"]):
        if step["key"] in step_keys:
            yield f"$.steps[{s}].key: '{step['key']}' is used by another step"
        step_keys.add(step["key"])
        if all(field["type"] == "declaration" for field in step["fields"]):
            yield f"$.steps[{s}].fields: a step needs a field or text besides declarations"
        for f, field in enumerate(step["fields"]):
            if field["key"] in field_types:
                yield f"$.steps[{s}].fields[{f}].key: '{field['key']}' is used by another field"
            field_types[field["key"]] = field["type"]
            if field["type"] == "address":
                for part in ADDRESS_PARTS:
                    name = f"{field['key']}_{part}"
                    if name in field_types:
                        yield f"$.steps[{s}].fields[{f}].key: '{name}' is used by another field"
                    field_types[name] = "address_part"
    keys = frozenset(field_types)
    for s, step in enumerate(definition["steps"]):
        if "visible_if" in step:
            yield from rule_problems(step["visible_if"], path=f"$.steps[{s}].visible_if", keys=keys)
        for f, field in enumerate(step["fields"]):
            for name in RULE_KEYS:
                if name in field:
                    yield from rule_problems(
                        field[name], path=f"$.steps[{s}].fields[{f}].{name}", keys=keys
                    )
    payment = definition.get("payment")
    if payment is not None and field_types.get(payment["amount"]) != "computed":
        yield f"$.payment.amount: '{payment['amount']}' is no computed field of the form"
    receipt = definition.get("receipt_email")
    if receipt is not None and field_types.get(receipt) != "email":
        yield f"$.receipt_email: '{receipt}' is no e-mail field of the form"
    applicant = definition.get("applicant_name")
    if applicant is not None and field_types.get(applicant) != "text":
        yield f"$.applicant_name: '{applicant}' is no text field of the form"


def definition_problems(definition: object) -> list[str]:
    """Everything wrong with ``definition``, each with its JSON path; empty when it is good."""
    problems = list(_schema_problems(definition))
    if problems or not isinstance(definition, dict):
        return problems
    return list(_semantic_problems(definition))


def definition_parse(raw: bytes | str) -> tuple[dict[str, Any] | None, list[str]]:
    """A definition file's content as data and its problems (``None`` if it is no JSON)."""
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, [f"$: the file is no JSON ({error})"]
    problems = definition_problems(data)
    return (data if not problems else None), problems


def text_in(text: dict[str, str] | None, language: str | None = None) -> str:
    """A text of the definition in ``language`` (the current one), else in German."""
    if not text:
        return ""
    language = (language or get_language() or "de")[:2]
    return text.get(language) or text.get("de", "")


@dataclass(frozen=True)
class Step:
    index: int
    key: str
    title: str
    fields: tuple[dict[str, Any], ...]
    visible_if: Any = None

    def shown(self, data: dict[str, Any]) -> bool:
        """Whether the step is asked, given the answers so far (as ``logic_data``)."""
        return self.visible_if is None or rule_holds(self.visible_if, data)

    def inputs_shown(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [spec for spec in self.inputs if field_shown(spec, data)]

    @property
    def computed(self) -> list[dict[str, Any]]:
        return [field for field in self.fields if field["type"] == "computed"]

    @property
    def inputs(self) -> list[dict[str, Any]]:
        return [field for field in self.fields if field["type"] in INPUT_TYPES]

    @property
    def text_blocks(self) -> list[str]:
        return [text_in(field["text"]) for field in self.fields if field["type"] == "text_block"]


def steps_of(definition: dict[str, Any]) -> list[Step]:
    return [
        Step(
            index,
            step["key"],
            text_in(step["title"]),
            tuple(step["fields"]),
            step.get("visible_if"),
        )
        for index, step in enumerate(definition["steps"], start=1)
    ]


def declarations_of(definition: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        field
        for step in definition["steps"]
        for field in step["fields"]
        if field["type"] == "declaration"
    ]


def field_shown(spec: dict[str, Any], data: dict[str, Any]) -> bool:
    return "visible_if" not in spec or rule_holds(spec["visible_if"], data)


def field_required(spec: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether an answer is needed: ``required``, or its ``required_if`` holds."""
    if "required_if" in spec:
        return rule_holds(spec["required_if"], data)
    return bool(spec.get("required", False))


def _logic_value(spec: dict[str, Any], value: Any) -> Any:
    if value in (None, "", []):
        return None
    if spec["type"] == "file" and isinstance(value, list):
        return len(value)  # a rule reads how many files were given
    if spec["type"] in NUMERIC_TYPES and isinstance(value, str):
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


def logic_data(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The stored answers as the rules read them (numbers as numbers, empty as ``null``)."""
    data: dict[str, Any] = {}
    for step in definition["steps"]:
        for spec in step["fields"]:
            if spec["type"] in INPUT_TYPES:
                data[spec["key"]] = _logic_value(spec, answers.get(spec["key"]))
    for step in definition["steps"]:
        for spec in step["fields"]:
            if spec["type"] == "computed":
                amount = rule_money(spec["compute"], data)
                data[spec["key"]] = None if amount is None else float(amount)
    return data


def steps_shown(definition: dict[str, Any], answers: dict[str, Any]) -> list[Step]:
    """The steps asked, given the answers: a step whose ``visible_if`` fails is left out."""
    data = logic_data(definition, answers)
    return [step for step in steps_of(definition) if step.shown(data)]


def answers_kept(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers that are sent: those of hidden steps and fields are dropped, computed
    values are worked out here (never taken from the browser)."""
    data = logic_data(definition, answers)
    kept: dict[str, Any] = {}
    for step in steps_of(definition):
        if not step.shown(data):
            continue
        for spec in step.inputs_shown(data):
            kept[spec["key"]] = answers.get(spec["key"], "")
        for spec in step.computed:
            amount = rule_money(spec["compute"], data)
            kept[spec["key"]] = "" if amount is None else str(amount)
    return kept
