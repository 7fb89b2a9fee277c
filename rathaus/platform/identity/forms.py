"""Forms of the account pages; they validate input and call no services.

Every field says in its own words what is missing or wrong (no "Dieses Feld ist
zwingend erforderlich."), and carries the ``autocomplete`` token browsers and
password managers fill it from.
"""

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _
from phonenumber_field.formfields import PhoneNumberField

from rathaus.platform.identity.models import AccountKind, MemberRole, User

EMAIL_ERRORS = {
    "required": _("Bitte geben Sie Ihre E-Mail-Adresse ein."),
    "invalid": _("Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein."),
}
PHONE_ERRORS = {
    "required": _("Bitte geben Sie Ihre Mobilnummer ein."),
    "invalid": _("Bitte geben Sie eine Mobilnummer wie 0151 23456789 ein."),
}
PHONE_HINT = _("Zum Beispiel 0151 23456789. Wir schicken einen Code per SMS an diese Nummer.")


def _autocomplete(field: forms.Field, token: str, **attrs: str) -> forms.Field:
    field.widget.attrs.update(autocomplete=token, **attrs)
    return field


class LoginForm(AuthenticationForm):
    """E-mail and password. A wrong pair is named as such: both were given."""

    error_messages = {
        "invalid_login": _(
            "E-Mail-Adresse und Passwort passen nicht zusammen. Bitte prüfen Sie beide "
            "Angaben. Wenn Sie Ihr Passwort vergessen haben, können Sie ein neues setzen."
        ),
        "inactive": _("Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Verwaltung."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = _("E-Mail-Adresse")
        username.error_messages["required"] = EMAIL_ERRORS["required"]
        username.widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        password = self.fields["password"]
        password.label = _("Passwort")
        password.error_messages["required"] = _("Bitte geben Sie Ihr Passwort ein.")
        _autocomplete(password, "current-password")


class RegistrationForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wer legt das Konto an?"),
        choices=[
            (AccountKind.PERSON, _("Ich als Person")),
            (AccountKind.ASSOCIATION, _("Ein Verein")),
            (AccountKind.COMPANY, _("Ein Unternehmen")),
        ],
        initial=AccountKind.PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie, wer das Konto anlegt.")},
    )
    organisation_name = forms.CharField(
        label=_("Name des Vereins oder Unternehmens"),
        max_length=200,
        help_text=_(
            "Nur für Vereine und Unternehmen: so, wie er im Vereins- oder Handelsregister steht."
        ),
        error_messages={
            "required": _("Bitte geben Sie den Namen des Vereins oder Unternehmens an.")
        },
    )
    first_name = forms.CharField(
        label=_("Vorname"),
        max_length=150,
        error_messages={"required": _("Bitte geben Sie Ihren Vornamen ein.")},
    )
    last_name = forms.CharField(
        label=_("Nachname"),
        max_length=150,
        error_messages={"required": _("Bitte geben Sie Ihren Nachnamen ein.")},
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_("Wir schicken Ihnen einen Link, mit dem Sie die Adresse bestätigen."),
        error_messages=EMAIL_ERRORS,
    )
    phone = PhoneNumberField(
        label=_("Mobilnummer"),
        region="DE",
        required=False,
        help_text=_(
            "Nur nötig, wenn Sie Nachrichten per SMS erhalten möchten. "
            "Sie können sie auch später in „Mein Rathaus“ eintragen."
        ),
        error_messages=PHONE_ERRORS,
    )
    password1 = forms.CharField(
        label=_("Passwort"),
        help_text=_(
            "Mindestens 8 Zeichen, nicht nur Ziffern, nicht Ihr Name und kein gängiges Passwort."
        ),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Bitte wählen Sie ein Passwort.")},
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Bitte geben Sie das Passwort ein zweites Mal ein.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get("kind", AccountKind.PERSON) == AccountKind.PERSON:
            # Asked of associations and companies only.
            self.fields["organisation_name"].required = False
        _autocomplete(self.fields["organisation_name"], "organization")
        # Shown only while an association or company is chosen (identity/account-kind.js);
        # without JavaScript the label says whom it is for.
        self.fields["organisation_name"].widget.attrs["data-shown-for-kind"] = "association company"
        _autocomplete(self.fields["first_name"], "given-name")
        _autocomplete(self.fields["last_name"], "family-name")
        _autocomplete(self.fields["email"], "email", spellcheck="false")
        _autocomplete(self.fields["phone"], "tel", inputmode="tel")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == AccountKind.PERSON:
            # Typed in while "Verein" was chosen, then switched back to a person.
            data["organisation_name"] = ""
        elif data.get("kind") and not data.get("organisation_name"):
            self.add_error(
                "organisation_name",
                _("Bitte geben Sie den Namen des Vereins oder Unternehmens an."),
            )
        if data.get("password1") and data.get("password2") is not None:
            if data["password1"] != data.get("password2"):
                self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
            else:
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
        error_messages={
            "required": _("Bitte geben Sie den Code ein."),
            "max_length": _("Der Code hat höchstens 8 Ziffern."),
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )


class PhoneForm(forms.Form):
    """The mobile number an SMS goes to; saved unconfirmed until its code comes back."""

    phone = PhoneNumberField(
        label=_("Mobilnummer"),
        region="DE",
        help_text=PHONE_HINT,
        error_messages=PHONE_ERRORS,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "birth_date", "street", "postal_code", "city"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "birth_date": forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
            "street": forms.TextInput(attrs={"autocomplete": "street-address"}),
            "postal_code": forms.TextInput(
                attrs={"autocomplete": "postal-code", "inputmode": "numeric"}
            ),
            "city": forms.TextInput(attrs={"autocomplete": "address-level2"}),
        }
        error_messages = {
            "birth_date": {"invalid": _("Bitte geben Sie das Datum wie 31.12.1970 ein.")},
            "postal_code": {"max_length": _("Eine Postleitzahl hat höchstens 10 Zeichen.")},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # What the state account confirmed says so under the field, until it is changed.
        for name in self.instance.verified_fields or []:
            if name in self.fields:
                self.fields[name].help_text = _("✓ Vom Landeskonto bestätigt")


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-Mail-Adresse des Mitglieds"),
        help_text=_("Die Person braucht schon ein Konto in dieser Kommune."),
        error_messages={
            "required": _("Bitte geben Sie die E-Mail-Adresse des Mitglieds ein."),
            "invalid": EMAIL_ERRORS["invalid"],
        },
        # Another person's address: not the account's own to fill in.
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Rolle"),
        choices=MemberRole.choices,
        initial=MemberRole.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": _("Bitte wählen Sie eine Rolle.")},
    )


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Ihr Passwort zur Bestätigung"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        required=False,
    )
    confirm = forms.BooleanField(
        label=_("Ja, mein Konto und alle Daten endgültig löschen"),
        error_messages={
            "required": _("Bitte bestätigen Sie, dass Sie Ihr Konto endgültig löschen möchten.")
        },
    )


class AccountPasswordResetForm(PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = _("E-Mail-Adresse Ihres Kontos")
        email.error_messages.update(EMAIL_ERRORS)
        _autocomplete(email, "email", spellcheck="false")


class AccountSetPasswordForm(SetPasswordForm):
    """A new password, twice (from a reset link or a new town admin's invitation)."""

    error_messages = {
        "password_mismatch": _("Die beiden Passwörter stimmen nicht überein."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first, second = self.fields["new_password1"], self.fields["new_password2"]
        first.label = _("Neues Passwort")
        first.help_text = _(
            "Mindestens 8 Zeichen, nicht nur Ziffern, nicht Ihr Name und kein gängiges Passwort."
        )
        first.error_messages["required"] = _("Bitte wählen Sie ein neues Passwort.")
        second.label = _("Neues Passwort wiederholen")
        second.help_text = ""
        second.error_messages["required"] = _(
            "Bitte geben Sie das neue Passwort ein zweites Mal ein."
        )
        _autocomplete(first, "new-password")
        _autocomplete(second, "new-password")


class AccountPasswordChangeForm(AccountSetPasswordForm, PasswordChangeForm):
    """The current password, then the new one twice."""

    error_messages = {
        **AccountSetPasswordForm.error_messages,
        "password_incorrect": _("Das bisherige Passwort stimmt nicht."),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        old = self.fields["old_password"]
        old.label = _("Bisheriges Passwort")
        old.error_messages["required"] = _("Bitte geben Sie Ihr bisheriges Passwort ein.")
        _autocomplete(old, "current-password")
        old.widget.attrs.pop("autofocus", None)


class PasskeyNameForm(forms.Form):
    """The name a person gives a passkey, so they can tell their devices apart."""

    name = forms.CharField(
        label=_("Name des Passkeys"),
        help_text=_("Zum Beispiel „Mein Telefon“ oder „Laptop“."),
        max_length=64,
        error_messages={
            "required": _("Bitte geben Sie dem Passkey einen Namen."),
            "max_length": _("Der Name hat höchstens 64 Zeichen."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
