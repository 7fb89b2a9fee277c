"""How the audit log words payments: requested, paid, refunded, refused, providers set up."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import AuditWords, audit_wording

from .models import Payment
from .registry import providers

PAYMENTS = gettext_lazy("Zahlungen")


def _state(value: object) -> str:
    return str(Payment.State(value).label) if value in Payment.State.values else str(value)


@audit_wording("payments.", label=PAYMENTS)
def payments_words(entry: AuditEntry, actor: str) -> AuditWords | None:
    after = entry.after if isinstance(entry.after, dict) else {}
    values = {"actor": actor, "kz": entry.target}
    action = entry.action.removeprefix("payments.")
    if action == "provider.configure":
        provider = providers.get(entry.target)
        values["provider"] = str(provider.label) if provider else entry.target
        return AuditWords(
            _("%(actor)s hat den Zahlweg „%(provider)s“ eingestellt.") % values,
            [_("Geheimnisse geändert: %(names)s") % {"names": ", ".join(after["secrets_changed"])}]
            if after.get("secrets_changed")
            else [],
        )
    if action == "refund.request":
        values["amount"] = after.get("amount", "")
        return AuditWords(
            _("%(actor)s hat %(amount)s € der Zahlung %(kz)s zur Erstattung angewiesen.") % values,
            [str(after["reason"])] if after.get("reason") else [],
        )
    if action == "settings":
        values.update(before=str(entry.before), after=str(entry.after))
        return AuditWords(
            _(
                "%(actor)s hat die Vier-Augen-Grenze für Erstattungen von %(before)s € auf "
                "%(after)s € gesetzt."
            )
            % values
        )
    if action == "payment.request":
        values["amount"] = f"{after.get('amount', '')} {after.get('currency', '')}"
        return AuditWords(_("Zahlung %(kz)s über %(amount)s angelegt.") % values)
    if action == "payment.refused":
        values["amount"] = f"{after.get('amount', '')} {after.get('currency', '')}"
        return AuditWords(
            _(
                "Eine Meldung über %(amount)s zur Zahlung %(kz)s wurde abgewiesen: "
                "der Betrag passt nicht."
            )
            % values
        )
    if action.startswith("payment."):
        values["from"] = _state(entry.before)
        values["to"] = _state(after.get("state", action.removeprefix("payment.")))
        details = []
        if after.get("refunded"):
            details.append(_("Erstattet: %(amount)s") % {"amount": after["refunded"]})
        if after.get("note"):
            details.append(str(after["note"]))
        return AuditWords(
            _("%(actor)s: Zahlung %(kz)s von „%(from)s“ auf „%(to)s“.") % values, details
        )
    return None
