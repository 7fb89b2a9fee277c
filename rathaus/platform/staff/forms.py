from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.platform.audit.models import AuditEntry
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
    actor = forms.CharField(label=_("Wer"), required=False)
    action = forms.ChoiceField(label=_("Aktion"), required=False)
    since = forms.DateField(
        label=_("von"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("bis"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
        self.fields["action"].choices = [("", _("alle"))] + [(a, a) for a in actions]  # type: ignore[attr-defined]
