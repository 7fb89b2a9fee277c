"""The audit log in plain language: "Erika Muster hat den Dienst Termine eingeschaltet."

A port. Entries are stored as keys and values (``module.enable``, ``True``);
each part of Rathaus words its own actions by registering a describer for an
action or a prefix of actions (``"module."``): the platform's packages at
start-up, the module framework one per service module (from the contract's
``describe_audit_entry``), the vendor its own. The audit package imports none
of them.

A describer gets the entry and the actor's name as the page shows it, and
returns an ``AuditWords`` (the sentence and, if useful, lines of detail such
as "Hauptfarbe: #005ca9 → #7a1f1f"), or ``None`` to leave the entry to the
generic wording.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from rathaus.platform.audit.models import AuditEntry

Text = str | Promise


@dataclass(frozen=True)
class AuditWords:
    """What an entry says: one sentence, and lines of detail under it."""

    sentence: Text
    details: Sequence[Text] = ()


Describer = Callable[[AuditEntry, str], AuditWords | Text | None]


@dataclass(frozen=True)
class _Registration:
    prefix: str
    describe: Describer
    label: Text | None


_describers: dict[str, _Registration] = {}
_labels: dict[str, Text] = {}
# Functions giving further (prefix, label) pairs when the filter is built, e.g. one per module.
_label_providers: list[Callable[[], Iterable[tuple[str, Text]]]] = []


def audit_wording(prefix: str, *, label: Text | None = None) -> Callable[[Describer], Describer]:
    """Decorator: ``describe(entry, actor_name)`` words the actions starting with ``prefix``.

    The longest registered prefix wins ("staff.roles" over "staff."). ``label``
    names the actions in the log's "Was" filter ("Team und Rollen").
    """

    def register(describe: Describer) -> Describer:
        _describers[prefix] = _Registration(prefix, describe, label)
        if label is not None:
            _labels[prefix] = label
        return describe

    return register


def audit_action_label(prefix: str, label: Text) -> None:
    """Names the actions under ``prefix`` in the "Was" filter without wording them."""
    _labels[prefix] = label


def audit_labels_provider(
    provider: Callable[[], Iterable[tuple[str, Text]]],
) -> Callable[[], Iterable[tuple[str, Text]]]:
    """Registers a function that adds filter labels when the filter is built."""
    if provider not in _label_providers:
        _label_providers.append(provider)
    return provider


def audit_action_choices() -> list[tuple[str, str]]:
    """Every named kind of action, for the filter: (prefix, label), by label."""
    labels = dict(_labels)
    for provider in _label_providers:
        labels.update(dict(provider()))
    return sorted(((key, str(label)) for key, label in labels.items()), key=lambda c: c[1])


def _describer_for(action: str) -> _Registration | None:
    best: _Registration | None = None
    for prefix, registration in _describers.items():
        matches = action == prefix or (prefix.endswith(".") and action.startswith(prefix))
        if matches and (best is None or len(prefix) > len(best.prefix)):
            best = registration
    return best


@dataclass(frozen=True)
class AuditLine:
    """An audit entry as the page shows it."""

    created_at: datetime
    actor: str
    by_vendor: bool
    sentence: str
    details: list[str] = field(default_factory=list)
    action: str = ""


def actor_names(entries: Iterable[AuditEntry]) -> dict[tuple[str, str], str]:
    """The name to show for each (kind, label) of ``entries``: staff by their name in this town.

    A staff member is stored by e-mail address; the name is read from the
    current town's accounts (one query), the address shown where there is none.
    """
    pairs = {(entry.actor_kind, entry.actor) for entry in entries}
    emails = [label for kind, label in pairs if kind == AuditEntry.ActorKind.STAFF]
    names: dict[str, str] = {}
    if emails:
        from django.contrib.auth import get_user_model

        query = Q()
        for email in emails:
            query |= Q(email__iexact=email)
        for email, first, last in (
            get_user_model().objects.filter(query).values_list("email", "first_name", "last_name")
        ):
            full = f"{first} {last}".strip()
            if full:
                names[email.lower()] = full
    shown: dict[tuple[str, str], str] = {}
    for kind, label in pairs:
        if kind == AuditEntry.ActorKind.STAFF:
            shown[(kind, label)] = names.get(label.lower(), label)
        elif kind == AuditEntry.ActorKind.VENDOR:
            if label.endswith(" (Support)"):
                shown[(kind, label)] = _("Der Support des Betreibers (%(who)s)") % {
                    "who": label.removesuffix(" (Support)")
                }
            else:
                shown[(kind, label)] = _("Der Betreiber (%(who)s)") % {"who": label}
        else:
            shown[(kind, label)] = _("Das System")
    return shown


def _generic(entry: AuditEntry, actor: str) -> AuditWords:
    target = f" „{entry.target}“" if entry.target else ""
    return AuditWords(
        _("%(actor)s hat eine Änderung vorgenommen (%(action)s%(target)s).")
        % {"actor": actor, "action": entry.action, "target": target},
        changes_generic(entry.before, entry.after),
    )


def plain(value: Any) -> str:
    """A stored value in words: yes/no for booleans, lists joined, nothing as "–"."""
    if value is True:
        return _("ja")
    if value is False:
        return _("nein")
    if value in (None, "", [], {}):
        return "–"
    if isinstance(value, dict):
        return ", ".join(f"{key} {plain(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        joiner = "; " if any(isinstance(item, dict) for item in value) else ", "
        return joiner.join(plain(item) for item in value)
    return str(value)


def changes_generic(
    before: Any,
    after: Any,
    *,
    labels: Mapping[str, Text] | None = None,
    show: Callable[[str, Any], str] | None = None,
) -> list[str]:
    """ "Label: before → after" for each key whose value changed (dicts), else one line."""
    labels = labels or {}
    show = show or (lambda _key, value: plain(value))
    if isinstance(before, dict) or isinstance(after, dict):
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        lines = []
        for key in sorted(set(old) | set(new), key=lambda k: str(labels.get(k, k))):
            if old.get(key) != new.get(key):
                label = labels.get(key, key)
                lines.append(f"{label}: {show(key, old.get(key))} → {show(key, new.get(key))}")
        return lines
    if before is None and after is None:
        return []
    return [f"{plain(before)} → {plain(after)}"]


def audit_lines(entries: Iterable[AuditEntry]) -> list[AuditLine]:
    """``entries`` in plain language, in their order (reads account names once)."""
    entries = list(entries)
    names = actor_names(entries)
    lines = []
    for entry in entries:
        actor = names[(entry.actor_kind, entry.actor)]
        words: AuditWords | Text | None = None
        registration = _describer_for(entry.action)
        if registration is not None:
            try:
                words = registration.describe(entry, actor)
            except Exception:
                words = None
        if words is None:
            words = _generic(entry, actor)
        elif not isinstance(words, AuditWords):
            words = AuditWords(words)
        lines.append(
            AuditLine(
                created_at=entry.created_at,
                actor=actor,
                by_vendor=entry.actor_kind == AuditEntry.ActorKind.VENDOR,
                sentence=str(words.sentence),
                details=[str(detail) for detail in words.details],
                action=entry.action,
            )
        )
    return lines
