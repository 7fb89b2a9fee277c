"""Switching modules on and off for a town and configuring them; every change is audited."""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from rathaus.modules.models import ModuleActivation
from rathaus.modules.registry import modules
from rathaus.modules.selectors import module_activation
from rathaus.modules.signals import module_allowed, module_withdrawn
from rathaus.platform.audit.services import Actor, audit_record
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)


def _known(key: str) -> None:
    if key not in modules:
        raise ValidationError({"module": _("Unbekannter Dienst: %(key)s") % {"key": key}})


def _gate_changed(*, town: Municipality, key: str, allowed: bool) -> None:
    """Tells the module (its hook, in the town's schema) and the listeners of the framework's
    signal that the vendor's gate changed; runs after the change is committed.

    The change stands whatever they do: a failing hook or listener is logged
    (and reported) without keeping the others from hearing of it.
    """
    module = modules[key]
    event = "allowed" if allowed else "withdrawn"
    try:
        with tenant_context(town):
            getattr(module, f"on_{event}")(town=town)
    except Exception:
        logger.exception("on_%s of module %s failed for %s", event, key, town.schema_name)
    signal = module_allowed if allowed else module_withdrawn
    for listener, result in signal.send_robust(sender=module, town=town, key=key):
        if isinstance(result, Exception):
            logger.error(
                "%r on module_%s of %s failed for %s",
                listener,
                event,
                key,
                town.schema_name,
                exc_info=result,
            )


@transaction.atomic
def module_allow(*, town: Municipality, key: str, allowed: bool, actor: Actor) -> ModuleActivation:
    """The vendor's gate: allows a module for a town (plan, billing) or withdraws it.

    Once the change is committed, the module's ``on_allowed``/``on_withdrawn`` runs
    and ``module_allowed``/``module_withdrawn`` is sent; nothing happens when the
    gate already was as asked.
    """
    _known(key)
    row = module_activation(town=town, key=key)
    if row.pk is not None and row.allowed == allowed:
        return row
    before = row.allowed
    row.allowed = allowed
    row.save()
    audit_record(
        town=town, actor=actor, action="module.allow", target=key, before=before, after=allowed
    )
    if before != allowed:
        transaction.on_commit(lambda: _gate_changed(town=town, key=key, allowed=allowed))
    return row


@transaction.atomic
def module_enable(*, town: Municipality, key: str, enabled: bool, actor: Actor) -> ModuleActivation:
    """The town's gate: switches an allowed module on or off for citizens."""
    _known(key)
    row = module_activation(town=town, key=key)
    if enabled and not row.allowed:
        raise ValidationError(
            {"module": _("Dieser Dienst ist für Ihre Kommune nicht freigegeben.")}
        )
    if row.pk is not None and row.enabled == enabled:
        return row
    before = row.enabled
    row.enabled = enabled
    row.save()
    audit_record(
        town=town, actor=actor, action="module.enable", target=key, before=before, after=enabled
    )
    return row


TRUST_LEVELS = ("", "low", "substantial", "high")


@transaction.atomic
def module_trust_level_set(
    *, town: Municipality, key: str, level: str, actor: Actor
) -> ModuleActivation:
    """Sets the eIDAS level citizens must prove through the state account to use a module."""
    _known(key)
    if level not in TRUST_LEVELS:
        raise ValidationError({"required_trust_level": _("Unbekanntes Vertrauensniveau.")})
    row = module_activation(town=town, key=key)
    if row.pk is not None and row.required_trust_level == level:
        return row
    before = row.required_trust_level
    row.required_trust_level = level
    row.save()
    audit_record(
        town=town, actor=actor, action="module.trust_level", target=key, before=before, after=level
    )
    return row


def module_settings_validate(*, key: str, settings: dict[str, Any]) -> dict[str, Any]:
    """The module's own validation of a town's settings; returns them as they will be stored.

    Raises ``ValidationError`` whose ``message_dict`` names each bad field.
    """
    _known(key)
    serializer_class = modules[key].settings_serializer
    if serializer_class is None:
        raise ValidationError({"module": _("Dieser Dienst hat keine Einstellungen.")})
    serializer = serializer_class(data=settings)
    if not serializer.is_valid():
        raise ValidationError(
            {
                field: [str(error) for error in _flatten(errors)]
                for field, errors in serializer.errors.items()
            }
        )
    return dict(serializer.data)


def _flatten(errors: Any) -> list[Any]:
    """DRF nests errors of list items as lists of dicts; flatten them to readable messages."""
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in _flatten(value)]
    if isinstance(errors, list):
        return [message for value in errors for message in _flatten(value)]
    return [errors]


@transaction.atomic
def module_configure(
    *, town: Municipality, key: str, settings: dict[str, Any], actor: Actor
) -> ModuleActivation:
    """Validates and stores a town's settings of a module; invalid input stores nothing.

    Settings as they are already change nothing (and are not audited again).
    """
    validated = module_settings_validate(key=key, settings=settings)
    row = module_activation(town=town, key=key)
    if row.pk is not None and row.settings == validated:
        return row
    before = row.settings
    row.settings = validated
    row.save()
    audit_record(
        town=town,
        actor=actor,
        action="module.configure",
        target=key,
        before=before,
        after=row.settings,
    )
    return row


def modules_set_up_for_new_town(
    *, town: Municipality, keys: Iterable[str] | None = None, actor: Actor
) -> list[ModuleActivation]:
    """Allows and enables a new town's first modules: ``keys``, or every ``default_enabled`` one.

    Unknown keys raise ``ValidationError`` before anything is stored.
    """
    chosen = list(keys) if keys is not None else [m.key for m in modules if m.default_enabled]
    unknown = sorted(set(chosen) - set(modules.keys()))
    if unknown:
        raise ValidationError(
            {"modules": _("Unbekannte Dienste: %(keys)s") % {"keys": ", ".join(unknown)}}
        )
    rows = []
    with transaction.atomic():
        for key in chosen:
            module_allow(town=town, key=key, allowed=True, actor=actor)
            rows.append(module_enable(town=town, key=key, enabled=True, actor=actor))
    return rows
