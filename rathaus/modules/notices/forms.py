"""Forms of the back office: a template, an upload."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Template

MAX_UPLOAD = 20 * 1024 * 1024


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = ["name", "subject", "office", "sender_line", "contact", "bank_details", "body"]
        widgets = {
            "contact": forms.Textarea(attrs={"rows": 3}),
            "bank_details": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 12}),
        }


class UploadForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Vorlage"), queryset=Template.objects.all(), empty_label=None
    )
    file = forms.FileField(
        label=_("Datei (CSV oder XLSX)"),
        help_text=_(
            "Erste Zeile: schluessel, name, strasse, plz, ort und die Spalten der Vorlage "
            "(z. B. betrag wie 1.234,50). Der Schlüssel ist die E-Mail-Adresse des "
            "Bürgerkontos, wenn es eines gibt."
        ),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Die Datei ist größer als 20 MB."))
        return upload
