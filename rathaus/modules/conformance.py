"""Checks that a module keeps its side of the contract, for ``manage.py check`` and the tests.

Every model of a module's app must be declared exactly once, as holding
personal data (``Module.personal_models``, covered by the export and erasure)
or with the reason it holds none (``Module.exempt_models``). A new model that
nobody declared would otherwise be missing from "Meine Daten" and survive an
account's deletion unnoticed.
"""

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error
from django.db.models import Model

from rathaus.modules.registry import Module, modules


def module_models(module: type[Module]) -> dict[str, type[Model]]:
    """The models of the app the module belongs to, by class name (no auto-created ones)."""
    app = apps.get_containing_app_config(module.__module__)
    if app is None:
        return {}
    return {model.__name__: model for model in app.get_models()}


def module_declaration_problems(module: type[Module]) -> list[str]:
    """What is wrong with the module's personal/exempt declarations; empty when all is well."""
    models = set(module_models(module))
    personal = list(module.personal_models)
    exempt = dict(module.exempt_models)
    problems = []
    for name in sorted({n for n in personal if personal.count(n) > 1}):
        problems.append(f"{name} is named twice in personal_models")
    for name in sorted(set(personal) & set(exempt)):
        problems.append(f"{name} is declared both personal and exempt")
    for name in sorted((set(personal) | set(exempt)) - models):
        problems.append(f"{name} is declared but is no model of the module's app")
    for name in sorted(models - set(personal) - set(exempt)):
        problems.append(f"{name} is declared neither personal nor exempt")
    for name, reason in sorted(exempt.items()):
        if not str(reason).strip():
            problems.append(f"{name} is exempt without a reason")
    return problems


def check_personal_data_declarations(**kwargs: Any) -> list[CheckMessage]:
    """System check: every registered module declares each of its models exactly once."""
    return [
        Error(
            f"Module {module.key!r}: {problem}.",
            hint="Name it in the module's personal_models or exempt_models (with the reason).",
            obj=module,
            id="rathaus_modules.E001",
        )
        for module in modules
        for problem in module_declaration_problems(module)
    ]
