"""Pay on invoice or at the counter: the receipt names the Kassenzeichen and the town's bank
details; staff mark the payment paid (or the bank statement's import does)."""

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from rathaus.platform.payments.money import euro_display
from rathaus.platform.payments.registry import Provider, Start, Text, providers

if TYPE_CHECKING:
    from rathaus.platform.payments.models import Payment, ProviderConfig


class InvoiceOptions(forms.Form):
    account_holder = forms.CharField(
        label=_("Kontoinhaber"), max_length=70, help_text=_("z. B. Stadtkasse Tangerhütte")
    )
    iban = forms.CharField(label=_("IBAN"), max_length=42)
    bank_name = forms.CharField(label=_("Bank"), max_length=70, required=False)
    due_days = forms.IntegerField(
        label=_("Zahlungsfrist in Tagen"), min_value=1, max_value=90, initial=14
    )

    def clean_iban(self) -> str:
        try:
            iban = IBAN(self.cleaned_data["iban"])
        except SchwiftyException as error:
            raise forms.ValidationError(
                _("Diese IBAN stimmt nicht: %(error)s"), params={"error": error}
            ) from None
        return iban.compact


def iban_display(compact: str) -> str:
    """ "DE89370400440532013000" → "DE89 3704 0044 0532 0130 00"."""
    try:
        return IBAN(compact).formatted
    except SchwiftyException:
        return compact


def bic_of(compact: str) -> str:
    """The BIC schwifty knows for the IBAN's bank, or ``""``."""
    try:
        bic = IBAN(compact).bic
    except SchwiftyException:
        return ""
    return str(bic) if bic else ""


@providers.register("invoice")
class InvoiceProvider(Provider):
    """Transfer or pay at the counter; nothing is sent anywhere."""

    label = _("Überweisung oder Zahlung an der Kasse")
    online = False
    options_form = InvoiceOptions

    def start(self, *, payment: "Payment", config: "ProviderConfig", return_url: str) -> Start:
        return Start()

    def receipt_lines(
        self, *, payment: "Payment", config: "ProviderConfig"
    ) -> list[tuple[Text, str]]:
        options = config.options
        iban = str(options.get("iban", ""))
        lines: list[tuple[Text, str]] = [
            (_("Empfänger"), str(options.get("account_holder", ""))),
            (_("IBAN"), iban_display(iban)),
        ]
        if bic := bic_of(iban):
            lines.append((_("BIC"), bic))
        if bank := options.get("bank_name"):
            lines.append((_("Bank"), str(bank)))
        lines += [
            (_("Betrag"), euro_display(payment.amount, payment.currency)),
            (_("Verwendungszweck"), f"{payment.kassenzeichen} {payment.purpose}"[:140]),
        ]
        if days := options.get("due_days"):
            lines.append((_("Zahlungsfrist"), _("%(days)s Tage") % {"days": days}))
        return lines
