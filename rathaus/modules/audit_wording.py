"""The audit log's words for the services: switching them on and off, their settings, and
each module's own actions (the contract's ``describe_audit_entry``), through
``platform.audit.wording``'s port."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.modules.registry import DurationMinutes, Module, Text, modules
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import (
    AuditWords,
    audit_labels_provider,
    audit_wording,
    changes_generic,
    plain,
)
from rathaus.platform.durations import duration_text
from rathaus.platform.federation.models import TrustLevel


def _title(key: str) -> str:
    return str(modules[key].title) if key in modules else key


def _trust(level: Any) -> str:
    if level in TrustLevel.values:
        return str(TrustLevel(level).label)
    return _("ohne Landeskonto")


def _settings_changes(key: str, before: Any, after: Any) -> list[str]:
    serializer = modules[key].settings_serializer if key in modules else None
    fields = serializer().fields if serializer is not None else {}
    labels = {name: field.label or name for name, field in fields.items()}

    def show(name: str, value: Any) -> str:
        if isinstance(fields.get(name), DurationMinutes) and isinstance(value, int):
            return duration_text(value)
        return plain(value)

    return changes_generic(before, after, labels=labels, show=show)


@audit_wording("module.", label=gettext_lazy("Dienste ein- und ausschalten, einstellen"))
def module_words(entry: AuditEntry, actor: str) -> AuditWords | None:
    values = {"actor": actor, "service": _title(entry.target)}
    if entry.action == "module.enable":
        if entry.after:
            return AuditWords(_("%(actor)s hat den Dienst %(service)s eingeschaltet.") % values)
        return AuditWords(_("%(actor)s hat den Dienst %(service)s ausgeschaltet.") % values)
    if entry.action == "module.allow":
        if entry.after:
            return AuditWords(_("%(actor)s hat den Dienst %(service)s freigegeben.") % values)
        return AuditWords(
            _("%(actor)s hat die Freigabe des Dienstes %(service)s zurückgezogen.") % values
        )
    if entry.action == "module.trust_level":
        return AuditWords(
            _("%(actor)s hat die nötige Anmeldung für %(service)s geändert.") % values,
            [f"{_trust(entry.before)} → {_trust(entry.after)}"],
        )
    if entry.action == "module.configure":
        return AuditWords(
            _("%(actor)s hat die Einstellungen von %(service)s geändert.") % values,
            _settings_changes(entry.target, entry.before, entry.after),
        )
    return None


def _module_describer(module: type[Module]) -> Any:
    def describe(entry: AuditEntry, actor: str) -> Text | None:
        return module.describe_audit_entry(
            action=entry.action,
            target=entry.target,
            before=entry.before,
            after=entry.after,
            actor=actor,
        )

    return describe


def _module_labels() -> Iterable[tuple[str, Text]]:
    for module in modules:
        yield from module.audit_actions.items()


def module_audit_wording_register() -> None:
    """Each registered module words the actions under its key; called once modules are known."""
    for module in modules:
        audit_wording(f"{module.key}.", label=module.title)(_module_describer(module))
    audit_labels_provider(_module_labels)
