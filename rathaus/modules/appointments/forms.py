"""Forms of the citizen pages and the staff configuration."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rathaus.platform.abuse.bot_check import BotCheckMixin
from rathaus.platform.catalogue.life_situations import life_situation_choices
from rathaus.platform.durations import DurationField

from .models import Location, OpeningException, OpeningHours, Service
from .references import reference_normalise


class BookingForm(BotCheckMixin, forms.Form):
    """Name and e-mail of the person booking, plus the platform's quiet traps for bots.

    A bot fills the hidden ``website`` field or posts faster than a person can
    type (``BotCheckMixin``); the form's ``started`` token also names this one
    booking attempt (``submissions.booked_once``).
    """

    bot_check_purpose = "appointments.booking"

    name = forms.CharField(label=_("Ihr Name"), max_length=200)
    email = forms.EmailField(label=_("Ihre E-Mail-Adresse"))
    phone = forms.CharField(label=_("Telefon für Rückfragen"), max_length=40, required=False)

    def __init__(self, *args: Any, logged_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = _(
            "Bitte geben Sie den Namen an, unter dem Sie den Termin wahrnehmen."
        )
        self.fields["email"].error_messages.update(
            required=_("Bitte geben Sie Ihre E-Mail-Adresse an: dorthin geht die Bestätigung."),
            invalid=_("Bitte geben Sie eine E-Mail-Adresse wie name@beispiel.de ein."),
        )
        if logged_in:
            # The account's address is used; nothing to type.
            del self.fields["email"]
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        if "email" in self.fields:
            self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", inputmode="tel")


class ReferenceSearchForm(forms.Form):
    """The reference number a citizen quotes, in whatever spelling."""

    reference = forms.CharField(
        label=_("Buchungsnummer"),
        max_length=20,
        help_text=_("Zum Beispiel T-7KQ4-2M. Groß- und Kleinschreibung und Leerzeichen egal."),
        error_messages={"required": _("Bitte geben Sie eine Buchungsnummer ein.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_reference(self) -> str:
        value = str(self.cleaned_data["reference"])
        if reference_normalise(value) is None:
            raise forms.ValidationError(
                _("Eine Buchungsnummer sieht so aus: T-7KQ4-2M (ein T und sechs Zeichen).")
            )
        return value


class LocationForm(forms.ModelForm):
    slot_minutes = DurationField(
        label=_("Zeitraster"),
        help_text=_("Termine beginnen in diesem Abstand, z. B. alle 15 Min."),
        min_minutes=5,
        max_minutes=120,
    )

    class Meta:
        model = Location
        fields = ["name", "address", "directions", "counters", "slot_minutes", "is_active"]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "directions": forms.Textarea(attrs={"rows": 3}),
        }


class ServiceForm(forms.ModelForm):
    duration_minutes = DurationField(
        label=_("Dauer"),
        help_text=_("So lange dauert ein Termin, z. B. 30 Min. oder 1 Std. 15 Min."),
        min_minutes=5,
        max_minutes=480,
    )
    # What the town's service catalogue shows on the service's page and searches.
    life_situations = forms.MultipleChoiceField(
        label=_("Lebenslagen"),
        choices=life_situation_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Unter diesen Lebenslagen steht die Leistung auf der Startseite."),
    )

    class Meta:
        model = Service
        fields = [
            "name",
            "summary",
            "description",
            "life_situations",
            "keywords",
            "duration_minutes",
            "documents",
            "fee",
            "fee_note",
            "processing_time",
            "popular",
            "slug",
            "locations",
            "is_active",
        ]
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
