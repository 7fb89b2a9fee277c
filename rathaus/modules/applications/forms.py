"""Django forms made from a form definition (one per step), and the staff's forms.

Answers are stored as plain JSON: text as text, a number as its decimal text
("12" or "12.50"), a date as ISO text, a choice as its option's value, yes/no as
"yes"/"no". ``answer_display`` shows them again with the version's own labels.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .definition import Step, text_in
from .models import Form, Submission

YES, NO = "yes", "no"


def _date_limit(value: str | None) -> dt.date | None:
    if value is None:
        return None
    return timezone.localdate() if value == "today" else dt.date.fromisoformat(value)


class CommaDecimalField(forms.DecimalField):
    """A decimal number written the German way ("12,50") or with a point ("12.50").

    Not ``localize``: with thousand separators on, "12.50" would become 1250.
    """

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace(",", ".")
        result: Decimal | None = super().to_python(value)
        return result


def _field(spec: dict[str, Any]) -> forms.Field:
    """The Django field of one input of the definition, with messages that name it."""
    label = text_in(spec.get("label"))
    required = bool(spec.get("required", False))
    common: dict[str, Any] = {
        "label": label,
        "help_text": text_in(spec.get("hint")),
        "required": required,
    }
    kind = spec["type"]
    fill = _("Bitte füllen Sie „%(label)s“ aus.") % {"label": label}
    if kind in ("text", "long_text"):
        limit = spec.get("max_length", 200 if kind == "text" else 4000)
        widget = forms.Textarea(attrs={"rows": 5}) if kind == "long_text" else forms.TextInput()
        field: forms.Field = forms.CharField(
            max_length=limit,
            widget=widget,
            error_messages={
                "required": fill,
                "max_length": _(
                    "„%(label)s“ darf höchstens %(limit)s Zeichen lang sein "
                    "(jetzt %%(show_value)d)."
                )
                % {"label": label, "limit": limit},
            },
            **common,
        )
    elif kind == "email":
        field = forms.EmailField(
            error_messages={
                "required": _("Bitte geben Sie bei „%(label)s“ Ihre E-Mail-Adresse an.")
                % {"label": label},
                "invalid": _("Geben Sie eine E-Mail-Adresse in der Form name@beispiel.de an."),
            },
            **common,
        )
        field.widget.attrs["autocomplete"] = "email"
    elif kind == "number":
        low, high = spec.get("min"), spec.get("max")
        number = _("Geben Sie bei „%(label)s“ eine Zahl an, z. B. 2.") % {"label": label}
        messages = {
            "required": fill,
            "invalid": number,
            "min_value": _("„%(label)s“ muss mindestens %%(limit_value)s sein.") % {"label": label},
            "max_value": _("„%(label)s“ darf höchstens %%(limit_value)s sein.") % {"label": label},
        }
        decimals = spec.get("decimals", 0)
        if decimals:
            field = CommaDecimalField(
                decimal_places=decimals,
                min_value=None if low is None else Decimal(str(low)),
                max_value=None if high is None else Decimal(str(high)),
                error_messages={
                    **messages,
                    "max_decimal_places": _(
                        "Geben Sie bei „%(label)s“ höchstens %(n)s Nachkommastellen an."
                    )
                    % {"label": label, "n": decimals},
                },
                **common,
            )
        else:
            field = forms.IntegerField(
                min_value=low, max_value=high, error_messages=messages, **common
            )
        field.widget.attrs["inputmode"] = "decimal" if decimals else "numeric"
    elif kind == "date":
        field = forms.DateField(
            input_formats=["%Y-%m-%d", "%d.%m.%Y"],
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={
                "required": _("Bitte geben Sie bei „%(label)s“ ein Datum an.") % {"label": label},
                "invalid": _("Geben Sie bei „%(label)s“ ein Datum an, z. B. 24.05.2021.")
                % {"label": label},
            },
            **common,
        )
    elif kind == "choice":
        choices = [(o["value"], text_in(o["label"])) for o in spec["options"]]
        radio = spec.get("widget", "radio") == "radio"
        field = forms.ChoiceField(
            choices=choices if radio else [("", _("Bitte wählen")), *choices],
            widget=forms.RadioSelect if radio else forms.Select,
            error_messages={
                "required": _("Wählen Sie bei „%(label)s“ eine Antwort aus.") % {"label": label},
                "invalid_choice": _("Wählen Sie bei „%(label)s“ eine der Antworten aus.")
                % {"label": label},
            },
            **common,
        )
    elif kind == "yes_no":
        field = forms.ChoiceField(
            choices=[(YES, _("Ja")), (NO, _("Nein"))],
            widget=forms.RadioSelect,
            error_messages={
                "required": _("Wählen Sie bei „%(label)s“ Ja oder Nein.") % {"label": label},
                "invalid_choice": _("Wählen Sie bei „%(label)s“ Ja oder Nein.") % {"label": label},
            },
            **common,
        )
    else:  # pragma: no cover - the schema allows no other input type
        raise ValueError(kind)
    if autocomplete := spec.get("autocomplete"):
        field.widget.attrs["autocomplete"] = autocomplete
    return field


class StepForm(forms.Form):
    """The inputs of one step; ``stored`` gives the cleaned answers as plain JSON."""

    def __init__(self, *args: Any, step: Step, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        self.specs = {spec["key"]: spec for spec in step.inputs}
        for key, spec in self.specs.items():
            self.fields[key] = _field(spec)
            if spec["type"] == "date":
                self._check_date_limits(key, spec)

    def _check_date_limits(self, key: str, spec: dict[str, Any]) -> None:
        self.fields[key].widget.attrs.update(
            {
                name: limit.isoformat()
                for name, limit in (
                    ("min", _date_limit(spec.get("min"))),
                    ("max", _date_limit(spec.get("max"))),
                )
                if limit is not None
            }
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for key, spec in self.specs.items():
            value = cleaned.get(key)
            if spec["type"] != "date" or not isinstance(value, dt.date):
                continue
            label = text_in(spec.get("label"))
            low, high = _date_limit(spec.get("min")), _date_limit(spec.get("max"))
            if low and value < low:
                self.add_error(
                    key,
                    _("„%(label)s“ darf nicht vor dem %(date)s liegen.")
                    % {"label": label, "date": formats.date_format(low, "d.m.Y")},
                )
            if high and value > high:
                if spec.get("max") == "today":
                    message = _("„%(label)s“ darf nicht in der Zukunft liegen.")
                else:
                    message = _("„%(label)s“ darf nicht nach dem %(date)s liegen.")
                self.add_error(
                    key, message % {"label": label, "date": formats.date_format(high, "d.m.Y")}
                )
        return cleaned

    def stored(self) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        for key in self.specs:
            value = self.cleaned_data.get(key)
            if value is None or value == "":
                answers[key] = ""
            elif isinstance(value, dt.date):
                answers[key] = value.isoformat()
            elif isinstance(value, Decimal | int):
                answers[key] = str(value)
            else:
                answers[key] = value
        return answers


def step_initial(step: Step, answers: dict[str, Any]) -> dict[str, Any]:
    """What a step's form shows of the answers given so far (a decimal the German way)."""
    initial = {}
    for spec in step.inputs:
        if spec["key"] not in answers:
            continue
        value = answers[spec["key"]]
        if spec["type"] == "number" and spec.get("decimals") and isinstance(value, str):
            value = value.replace(".", ",")
        initial[spec["key"]] = value
    return initial


def answer_display(spec: dict[str, Any], value: Any) -> str:
    """An answer as the citizen gave it, in the words of the version it was given to."""
    if value in (None, ""):
        return _("keine Angabe")
    kind = spec["type"]
    if kind == "yes_no":
        return _("Ja") if value == YES else _("Nein")
    if kind == "choice":
        labels = {o["value"]: text_in(o["label"]) for o in spec["options"]}
        return labels.get(value, str(value))
    if kind == "date":
        return formats.date_format(dt.date.fromisoformat(value), "d.m.Y")
    if kind == "number":
        return formats.number_format(Decimal(value), use_l10n=True)
    return str(value)


class DeclarationForm(forms.Form):
    """The declarations (§ 9a OZG) the citizen confirms on the check page before sending."""

    def __init__(self, *args: Any, declarations: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for spec in declarations:
            self.fields[spec["key"]] = forms.BooleanField(
                # The text itself stands above the form, as a warning (§ 9a OZG).
                label=text_in(spec.get("label")) or _("Ich bestätige die Erklärung."),
                required=True,
                error_messages={
                    "required": _("Bestätigen Sie die Erklärung, bevor Sie den Antrag absenden.")
                },
            )


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Formulardefinition (JSON-Datei)"),
        help_text=gettext_lazy(
            "Eine Datei nach dem veröffentlichten Schema. Gibt es das Formular schon, "
            "wird daraus eine neue Version (ein Entwurf, bis Sie ihn veröffentlichen)."
        ),
        error_messages={
            "required": gettext_lazy("Wählen Sie eine JSON-Datei mit der Formulardefinition aus."),
            "empty": gettext_lazy("Die gewählte Datei ist leer."),
        },
    )

    MAX_BYTES = 512 * 1024

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("Die Datei ist zu groß: höchstens 512 KB sind erlaubt."))
        return upload


class StatusForm(forms.Form):
    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"] = forms.ChoiceField(
            label=_("Neuer Status"),
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Wählen Sie den neuen Status des Antrags aus.")},
        )


class InboxFilterForm(forms.Form):
    form = forms.ModelChoiceField(
        label=gettext_lazy("Formular"),
        queryset=Form.objects.all(),
        required=False,
        empty_label=gettext_lazy("alle Formulare"),
        to_field_name="slug",
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("alle")), *Submission.Status.choices],
        required=False,
    )
    q = forms.CharField(
        label=gettext_lazy("Aktenzeichen"),
        help_text=gettext_lazy("z. B. A-2026-000123"),
        required=False,
        max_length=20,
    )
