"""Forms of the citizen pages and the staff configuration."""

import time
from typing import Any

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import Location, OpeningException, OpeningHours, Service

FORM_SALT = "rathaus.appointments.form-started"
# A person needs a few seconds to fill in a name and an e-mail address.
MIN_FILL_SECONDS = 3
MAX_FILL_SECONDS = 2 * 60 * 60


def form_started_token() -> str:
    return signing.dumps(time.time(), salt=FORM_SALT)


class BookingForm(forms.Form):
    """Name and e-mail of the person booking, plus two quiet traps for bots.

    ``website`` is hidden from people (and screen readers) and stays empty;
    ``started`` is a signed time stamp of when the form was shown. A bot fills
    the trap or posts faster than a person can type.
    """

    name = forms.CharField(label=_("Ihr Name"), max_length=200)
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"))
    phone = forms.CharField(
        label=_("Telefon für Rückfragen (freiwillig)"), max_length=40, required=False
    )
    website = forms.CharField(required=False, label=_("Bitte leer lassen"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, logged_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if logged_in:
            # The account's address is used; nothing to type.
            self.fields["email"].required = False
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")
        self.fields["website"].widget.attrs.update(tabindex="-1", autocomplete="off")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        too_fast = _(
            "Das ging zu schnell oder das Formular ist veraltet. Bitte prüfen Sie Ihre "
            "Angaben und senden Sie es noch einmal ab."
        )
        if data.get("website"):
            raise forms.ValidationError(too_fast, code="bot")
        try:
            started = float(
                signing.loads(data.get("started", ""), salt=FORM_SALT, max_age=MAX_FILL_SECONDS)
            )
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(too_fast, code="stale") from None
        if time.time() - started < MIN_FILL_SECONDS:
            raise forms.ValidationError(too_fast, code="bot")
        return data


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = ["name", "address", "directions", "counters", "slot_minutes", "is_active"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "directions": forms.Textarea(attrs={"rows": 3}),
        }


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = ["name", "description", "duration_minutes", "documents", "locations", "is_active"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "documents": forms.Textarea(attrs={"rows": 4}),
            "locations": forms.CheckboxSelectMultiple,
        }


class TimeInput(forms.TimeInput):
    input_type = "time"


class DateInput(forms.DateInput):
    input_type = "date"


HoursFormSet = forms.inlineformset_factory(
    Location,
    OpeningHours,
    fields=["weekday", "opens", "closes", "counters"],
    widgets={"opens": TimeInput(format="%H:%M"), "closes": TimeInput(format="%H:%M")},
    extra=2,
    can_delete=True,
)

ExceptionsFormSet = forms.inlineformset_factory(
    Location,
    OpeningException,
    fields=["date", "closed", "opens", "closes", "reason"],
    widgets={
        "date": DateInput(format="%Y-%m-%d"),
        "opens": TimeInput(format="%H:%M"),
        "closes": TimeInput(format="%H:%M"),
    },
    extra=2,
    can_delete=True,
)
