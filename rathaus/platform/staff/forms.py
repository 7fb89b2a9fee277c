from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.platform.audit.selectors import audit_actors
from rathaus.platform.audit.wording import actor_names, audit_action_choices
from rathaus.platform.branding.models import Branding
from rathaus.platform.branding.services import FIELDS as BRANDING_FIELDS
from rathaus.platform.staff.roles import role_choices


class BrandingForm(forms.ModelForm):
    # A town's address typed without a scheme means https.
    imprint_url = forms.URLField(
        label=_("Impressum (Adresse)"), required=False, assume_scheme="https"
    )
    privacy_url = forms.URLField(
        label=_("Datenschutzerklärung (Adresse)"), required=False, assume_scheme="https"
    )

    class Meta:
        model = Branding
        fields = list(BRANDING_FIELDS)
        widgets = {"primary_color": forms.TextInput(attrs={"type": "color"})}


def _role_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Rollen"),
        choices=[(choice.key, choice.label) for choice in role_choices()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class StaffAddForm(forms.Form):
    email = forms.EmailField(label=_("E-Mail-Adresse"))
    first_name = forms.CharField(label=_("Vorname"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Nachname"), max_length=150, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"] = _role_field()

    def clean_roles(self) -> list[str]:
        roles: list[str] = self.cleaned_data["roles"]
        if not roles:
            raise forms.ValidationError(_("Bitte mindestens eine Rolle wählen."))
        return roles


class StaffRolesForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["roles"] = _role_field()


class AuditFilterForm(forms.Form):
    """Filters of the audit log: who, what, from when until when (all optional)."""

    person = forms.ChoiceField(label=_("Wer"), required=False)
    action = forms.ChoiceField(label=_("Was"), required=False)
    since = forms.DateField(
        label=_("Von"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Bitte ein Datum angeben, z. B. 01.12.2026.")},
    )
    until = forms.DateField(
        label=_("Bis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Bitte ein Datum angeben, z. B. 31.12.2026.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actors = audit_actors()
        names = actor_names(actors)
        people = sorted(
            ((f"{a.actor_kind}:{a.actor}", names[(a.actor_kind, a.actor)]) for a in actors),
            key=lambda choice: choice[1].lower(),
        )
        everyone: list[tuple[str, str]] = [("", str(_("alle")))]
        self.fields["person"].choices = everyone + people  # type: ignore[attr-defined]
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            ("", str(_("alles"))),
            *audit_action_choices(),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("„Bis“ muss am oder nach „Von“ liegen."))
        return data


class StaffPolicyForm(forms.Form):
    second_factor_required = forms.BooleanField(
        label=_("Zweiten Faktor für das ganze Team verlangen"),
        help_text=_(
            "Wer in der Online-Verwaltung arbeitet, bestätigt die Anmeldung dann mit einem "
            "Passkey oder dem Code einer Authenticator-App. Wer noch keinen hat, wird beim "
            "nächsten Aufruf gebeten, einen einzurichten."
        ),
        required=False,
    )
