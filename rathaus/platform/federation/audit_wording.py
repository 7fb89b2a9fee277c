"""How the audit log words changes of the state-account settings."""

import ast
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import AuditWords, audit_wording, changes_generic, plain
from rathaus.platform.federation.forms import ACCOUNT_FIELD_LABELS
from rathaus.platform.federation.models import IdentityProvider, Protocol, TrustLevel

STATE_ACCOUNT = gettext_lazy("Landeskonto (BundID / Servicekonto)")
# Stored for the log but of no interest to a reader.
QUIET_FIELDS = {"id", "updated_at", "protocol"}


def _show(key: str, value: Any) -> str:
    # The snapshot holds each field as text; lists and mappings as Python's repr of them.
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            value = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
        if isinstance(value, dict):
            return (
                ", ".join(f"{ACCOUNT_FIELD_LABELS.get(k, k)} ← {v}" for k, v in value.items())
                or "–"
            )
        return plain(value)
    if value in ("True", "False"):
        return plain(value == "True")
    if key == "trust_level" and value in TrustLevel.values:
        return str(TrustLevel(value).label)
    return plain(value)


@audit_wording("federation.", label=STATE_ACCOUNT)
def federation_words(entry: AuditEntry, actor: str) -> AuditWords | None:
    if entry.action != "federation.save":
        return None
    protocol = (
        str(Protocol(entry.target).label) if entry.target in Protocol.values else entry.target
    )
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    values = {"actor": actor, "account": STATE_ACCOUNT, "protocol": protocol}
    if not before and "id" in after:
        sentence = _("%(actor)s hat das %(account)s über %(protocol)s eingerichtet.")
    elif after.get("enabled") == "True":
        sentence = _(
            "%(actor)s hat die Anmeldung mit dem %(account)s (%(protocol)s) eingeschaltet."
        )
    elif after.get("enabled") == "False":
        sentence = _(
            "%(actor)s hat die Anmeldung mit dem %(account)s (%(protocol)s) ausgeschaltet."
        )
    else:
        sentence = _("%(actor)s hat die Einstellungen zum %(account)s (%(protocol)s) geändert.")
    labels = {field.name: field.verbose_name for field in IdentityProvider._meta.concrete_fields}
    quiet = lambda data: {k: v for k, v in data.items() if k not in QUIET_FIELDS}  # noqa: E731
    return AuditWords(
        sentence % values, changes_generic(quiet(before), quiet(after), labels=labels, show=_show)
    )
