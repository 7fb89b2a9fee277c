"""The staff's forms: filter the payments, mark one paid."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Payment


class PaymentFilterForm(forms.Form):
    start = forms.DateField(
        label=_("von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    state = forms.ChoiceField(
        label=_("Stand"), required=False, choices=[("", _("alle")), *Payment.State.choices]
    )
    q = forms.CharField(label=_("Kassenzeichen oder Bezug"), required=False, max_length=100)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Das Ende liegt vor dem Anfang."))
        return data


class MarkPaidForm(forms.Form):
    note = forms.CharField(
        label=_("Vermerk"),
        max_length=200,
        required=False,
        help_text=_("z. B. „bar an der Kasse“ oder „Überweisung vom 03.12.“"),
    )


class RefundForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Betrag (EUR)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
    )
    reason = forms.CharField(label=_("Grund"), max_length=200)


class SettingsForm(forms.Form):
    four_eyes_above = forms.DecimalField(
        label=_("Erstattungen über diesem Betrag gibt eine zweite Person frei (EUR)"),
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        localize=True,
    )


class StatementForm(forms.Form):
    file = forms.FileField(
        label=_("Kontoauszug (camt.053, XML)"),
        help_text=_("Die Datei aus dem Online-Banking der Kommune, höchstens 10 MB."),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError(_("Die Datei ist größer als 10 MB."))
        return upload


class EnabledForm(forms.Form):
    enabled = forms.BooleanField(label=_("Diesen Zahlweg anbieten"), required=False)
