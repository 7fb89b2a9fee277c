"""Conditions and computed values of a form, written in JSON Logic (jsonlogic.com).

The same rules run in the browser (to show and hide as people type) and here; the
server's answer is the one that counts. Rules read the answers by their keys
(``{"var": "dog_count"}``): a number as a number, yes/no as ``"yes"``/``"no"``,
checkboxes as a list of values, an empty answer as ``null``.
"""

import json
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import datalogic_py

_ENGINE = datalogic_py.Engine()
# The keys a rule may hold in a field or step.
RULE_KEYS = ("visible_if", "required_if", "compute")


@lru_cache(maxsize=1024)
def _compiled(rule_json: str) -> datalogic_py.Rule:
    return _ENGINE.compile(rule_json)


def rule_evaluate(rule: Any, data: dict[str, Any]) -> Any:
    """What ``rule`` gives for ``data`` (an error in a rule counts as no answer)."""
    try:
        return _compiled(json.dumps(rule, sort_keys=True)).evaluate(data)
    except datalogic_py.DataLogicError:
        return None


def rule_holds(rule: Any, data: dict[str, Any]) -> bool:
    """Whether ``rule`` is true for ``data`` by JSON Logic's truthiness ([], 0, "" are false)."""
    value = rule_evaluate(rule, data)
    if isinstance(value, list | dict | str):
        return len(value) > 0
    return bool(value)


def rule_money(rule: Any, data: dict[str, Any]) -> Decimal | None:
    """A computed amount in euros and cents, or ``None`` when the rule gives no number."""
    value = rule_evaluate(rule, data)
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def rule_problems(rule: Any, *, path: str, keys: frozenset[str]) -> Iterator[str]:
    """What is wrong with a rule of the definition, at ``path`` (its JSON path).

    The engine's own check (unknown operator, wrong arguments: with the JSON pointer
    inside the rule), and every answer it reads that is no field of the form.
    """
    diagnostics = _ENGINE.check(rule)
    for diagnostic in diagnostics:
        if diagnostic["severity"] == "error":
            inside = f" (at {diagnostic['pointer']})" if diagnostic["pointer"] else ""
            yield f"{path}: {diagnostic['message']}{inside}"
    if any(d["severity"] == "error" for d in diagnostics):
        return
    try:
        facts = _ENGINE.compile(rule).facts()
    except datalogic_py.DataLogicError as error:
        yield f"{path}: {error}"
        return
    for read in facts["reads"]:
        if read and str(read[0]) not in keys:
            yield f"{path}: reads '{read[0]}', which is no field of the form"
