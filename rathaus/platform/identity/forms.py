"""Forms of the account pages; they validate input and call no services."""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from rathaus.platform.identity.models import AccountKind, MemberRole, User


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kontoart"), choices=AccountKind.choices, initial=AccountKind.PERSON
    )
    organisation_name = forms.CharField(
        label=_("Name des Vereins oder Unternehmens"), max_length=200, required=False
    )
    first_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    phone = PhoneNumberField(
        label=_("Mobilnummer"), region="DE", help_text=_("Wir senden Ihnen einen Code per SMS.")
    )
    password1 = forms.CharField(
        label=_("Passwort"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") != AccountKind.PERSON and not data.get("organisation_name"):
            self.add_error("organisation_name", _("Bitte geben Sie den Namen der Organisation an."))
        if data.get("password1") != data.get("password2"):
            self.add_error("password2", _("Die Passwörter stimmen nicht überein."))
        elif data.get("password1"):
            probe = User(email=data.get("email", ""), first_name=data.get("first_name", ""))
            try:
                password_validation.validate_password(data["password1"], probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "birth_date", "street", "postal_code", "city"]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}


class MemberForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse des Mitglieds"))
    role = forms.ChoiceField(label=_("Rolle"), choices=MemberRole.choices)


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Passwort zur Bestätigung"), widget=forms.PasswordInput, required=False
    )
    confirm = forms.BooleanField(label=_("Ja, mein Konto und alle Daten löschen"))
