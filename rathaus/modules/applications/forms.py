"""Django forms made from a form definition (one per step), and the staff's forms.

Answers are stored as plain JSON: text as text, a number or an amount as its decimal
text ("12" or "12.50"), a date as ISO text, a choice as its option's value (checkboxes:
a list of values), yes/no as "yes"/"no", a phone number as E.164 ("+4939351234"), an
IBAN compact ("DE02120300000000202051"), an address as ``{"street", "postcode",
"town"}``. ``answer_display`` shows them again with the version's own labels.

Conditions (``visible_if``, ``required_if``) are evaluated here, on the answers so far
and the step's own: a hidden field is neither required nor checked nor kept.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import filetype
import phonenumbers
from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from .definition import (
    ADDRESS_PARTS,
    Step,
    field_required,
    field_shown,
    logic_data,
    text_in,
)
from .logic import rule_money

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


class PhoneField(forms.CharField):
    """A telephone number, German numbers also without +49; cleaned to E.164."""

    def __init__(self, *, invalid: str, **kwargs: Any) -> None:
        super().__init__(max_length=40, **kwargs)
        self.invalid = invalid
        self.widget.input_type = "tel"
        self.widget.attrs["autocomplete"] = "tel"

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            number = phonenumbers.parse(text, "DE")
        except phonenumbers.NumberParseException:
            raise forms.ValidationError(self.invalid, code="invalid") from None
        if not phonenumbers.is_valid_number(number):
            raise forms.ValidationError(self.invalid, code="invalid")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class IbanField(forms.CharField):
    """An IBAN (schwifty checks country, length, check digits, bank code); cleaned compact."""

    def __init__(self, *, invalid: str, **kwargs: Any) -> None:
        super().__init__(max_length=42, **kwargs)
        self.invalid = invalid
        self.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return str(IBAN(text).compact)
        except SchwiftyException:
            raise forms.ValidationError(self.invalid, code="invalid") from None


# What a file upload may be, by its content (never by its name or the browser's word).
FILE_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class UploadsField(forms.FileField):
    """One or more files, each checked by size and by its content's type before it is kept."""

    def __init__(
        self, *, label: str, accept: list[str], max_mb: int, max_files: int, **kwargs: Any
    ) -> None:
        widget = MultipleFileInput() if max_files > 1 else forms.ClearableFileInput()
        widget.attrs["accept"] = ",".join(FILE_TYPES[kind] for kind in accept)
        super().__init__(widget=widget, label=label, **kwargs)
        self.accept, self.max_mb, self.max_files = accept, max_mb, max_files
        self.name_label = label

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            super().clean(None, initial)  # "required", if it is
            return []
        if len(files) > self.max_files:
            raise forms.ValidationError(
                _("Bei „%(label)s“ sind höchstens %(n)s Dateien erlaubt.")
                % {"label": self.name_label, "n": self.max_files},
                code="max_files",
            )
        errors = []
        for upload in files:
            problem = self._problem(upload)
            if problem:
                errors.append(forms.ValidationError(problem, code="file"))
        if errors:
            raise forms.ValidationError(errors)
        return files

    def _problem(self, upload: UploadedFile) -> str | None:
        name = upload.name or _("Die Datei")
        if upload.size is not None and upload.size > self.max_mb * 1024 * 1024:
            return _("„%(name)s“ ist zu groß: höchstens %(mb)s MB sind erlaubt.") % {
                "name": name,
                "mb": self.max_mb,
            }
        if not upload.size:
            return _("„%(name)s“ ist leer.") % {"name": name}
        upload.seek(0)
        head = upload.read(2048)
        upload.seek(0)
        kind = filetype.guess(head)
        allowed = {FILE_TYPES[a] for a in self.accept}
        if kind is None or kind.mime not in allowed:
            return _("„%(name)s“ ist keine erlaubte Datei: erlaubt sind %(types)s.") % {
                "name": name,
                "types": ", ".join(a.upper() for a in self.accept),
            }
        return None


def _address_fields(spec: dict[str, Any], required: bool) -> dict[str, forms.Field]:
    """The three inputs of a postal address in Germany, each with its own message."""
    label = text_in(spec.get("label"))
    street = forms.CharField(
        label=_("%(label)s: Straße und Hausnummer") % {"label": label},
        help_text=text_in(spec.get("hint")),
        max_length=200,
        required=required,
        error_messages={
            "required": _("Geben Sie bei „%(label)s“ Straße und Hausnummer an.") % {"label": label}
        },
    )
    street.widget.attrs["autocomplete"] = "street-address"
    postcode = forms.RegexField(
        label=_("%(label)s: Postleitzahl") % {"label": label},
        regex=r"^\d{5}$",
        max_length=5,
        required=required,
        error_messages={
            "required": _("Geben Sie bei „%(label)s“ die Postleitzahl an.") % {"label": label},
            "invalid": _("Die Postleitzahl bei „%(label)s“ hat fünf Ziffern, z. B. 39517.")
            % {"label": label},
            "max_length": _("Die Postleitzahl bei „%(label)s“ hat fünf Ziffern, z. B. 39517.")
            % {"label": label},
        },
    )
    postcode.widget.attrs.update({"autocomplete": "postal-code", "inputmode": "numeric"})
    town = forms.CharField(
        label=_("%(label)s: Ort") % {"label": label},
        max_length=100,
        required=required,
        error_messages={"required": _("Geben Sie bei „%(label)s“ den Ort an.") % {"label": label}},
    )
    town.widget.attrs["autocomplete"] = "address-level2"
    return dict(zip(ADDRESS_PARTS, (street, postcode, town), strict=True))


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
    elif kind in ("phone", "iban"):
        invalid = (
            _(
                "Geben Sie bei „%(label)s“ eine Telefonnummer an, "
                "z. B. 03935 123456 oder +49 3935 123456."
            )
            if kind == "phone"
            else _(
                "Die IBAN bei „%(label)s“ ist nicht gültig. Prüfen Sie sie, "
                "z. B. DE02 1203 0000 0000 2020 51."
            )
        )
        checked = PhoneField if kind == "phone" else IbanField
        field = checked(
            invalid=invalid % {"label": label}, error_messages={"required": fill}, **common
        )
    elif kind == "file":
        field = UploadsField(
            label=label,
            accept=spec.get("accept", ["pdf", "jpg", "png"]),
            max_mb=spec.get("max_size_mb", 10),
            max_files=spec.get("max_files", 1),
            help_text=common["help_text"],
            required=required,
            error_messages={
                "required": _("Fügen Sie bei „%(label)s“ eine Datei hinzu.") % {"label": label}
            },
        )
    elif kind == "money":
        field = CommaDecimalField(
            decimal_places=2,
            max_digits=12,
            min_value=Decimal(str(spec.get("min", 0))),
            max_value=None if spec.get("max") is None else Decimal(str(spec["max"])),
            error_messages={
                "required": fill,
                "invalid": _("Geben Sie bei „%(label)s“ einen Betrag in Euro an, z. B. 12,50.")
                % {"label": label},
                "min_value": _("„%(label)s“ muss mindestens %%(limit_value)s € sein.")
                % {"label": label},
                "max_value": _("„%(label)s“ darf höchstens %%(limit_value)s € sein.")
                % {"label": label},
                "max_decimal_places": _(
                    "Geben Sie bei „%(label)s“ höchstens 2 Nachkommastellen an."
                )
                % {"label": label},
                "max_digits": _("„%(label)s“ ist zu groß.") % {"label": label},
            },
            **common,
        )
        field.widget.attrs["inputmode"] = "decimal"
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
    elif kind == "choice" and spec.get("widget") == "checkboxes":
        field = forms.MultipleChoiceField(
            choices=[(o["value"], text_in(o["label"])) for o in spec["options"]],
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": _("Wählen Sie bei „%(label)s“ mindestens eine Antwort aus.")
                % {"label": label},
                "invalid_choice": _("Wählen Sie bei „%(label)s“ nur Antworten aus der Liste aus.")
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


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class StepForm(forms.Form):
    """The inputs of one step; ``stored`` gives the cleaned answers as plain JSON.

    ``answers`` are those of the steps before (the draft): conditions read them with
    the step's own answers, so a field shown or required because of an earlier
    answer is treated so here too, whatever the browser showed.
    """

    def __init__(
        self,
        *args: Any,
        step: Step,
        answers: dict[str, Any] | None = None,
        definition: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        self.answers = answers or {}
        self.definition = definition or {"steps": [{"fields": list(step.fields)}]}
        self.specs = {spec["key"]: spec for spec in step.inputs}
        self.conditional = {
            key for key, spec in self.specs.items() if "visible_if" in spec or "required_if" in spec
        }
        for key, spec in self.specs.items():
            required = bool(spec.get("required")) and key not in self.conditional
            if spec["type"] == "address":
                for part, field in _address_fields(spec, required).items():
                    self.fields[f"{key}_{part}"] = field
                continue
            if spec["type"] == "file" and self.answers.get(key):
                required = False  # given before: a new upload replaces it, none keeps it
            self.fields[key] = _field(spec)
            self.fields[key].required = required
            if spec["type"] == "date":
                self._check_date_limits(key, spec)

    def names_of(self, key: str) -> list[str]:
        """The inputs of an answer: one, or the parts of an address."""
        if self.specs[key]["type"] == "address":
            return [f"{key}_{part}" for part in ADDRESS_PARTS]
        return [key]

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
        if self.conditional:
            self._apply_conditions()
        return cleaned

    def _apply_conditions(self) -> None:
        """Hidden fields lose their errors and answers; required-if asks for an answer."""
        data = logic_data(self.definition, {**self.answers, **self._values()})
        for key in self.conditional:
            spec = self.specs[key]
            names = self.names_of(key)
            if not field_shown(spec, data):
                for name in names:
                    self.errors.pop(name, None)
                    self.cleaned_data[name] = None
                continue
            if not field_required(spec, data):
                continue
            for name in names:
                if name not in self.errors and _empty(self.cleaned_data.get(name)):
                    field = self.fields[name]
                    self.add_error(
                        name, forms.ValidationError(field.error_messages["required"], "required")
                    )

    def _value(self, key: str) -> Any:
        spec = self.specs[key]
        if spec["type"] == "address":
            parts = {part: self.cleaned_data.get(f"{key}_{part}") or "" for part in ADDRESS_PARTS}
            return parts if any(parts.values()) else ""
        value = self.cleaned_data.get(key)
        if spec["type"] == "file":
            # New uploads are stored by the view (``new_uploads``); until then the
            # answer is what was given before.
            return self.answers.get(key) or "" if not value else [f.name for f in value]
        if _empty(value):
            return ""
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, Decimal) and spec["type"] == "money":
            return str(value.quantize(Decimal("0.01")))
        if isinstance(value, Decimal | int):
            return str(value)
        return value

    def _values(self) -> dict[str, Any]:
        return {key: self._value(key) for key in self.specs}

    def stored(self) -> dict[str, Any]:
        """The answers as plain JSON; files newly uploaded are in ``new_uploads``."""
        values = self._values()
        for key in self.new_uploads():
            values[key] = self.answers.get(key) or ""
        return values

    def new_uploads(self) -> dict[str, list[UploadedFile]]:
        return {
            key: self.cleaned_data[key]
            for key, spec in self.specs.items()
            if spec["type"] == "file" and self.cleaned_data.get(key)
        }


def step_initial(step: Step, answers: dict[str, Any]) -> dict[str, Any]:
    """What a step's form shows of the answers given so far (a decimal the German way)."""
    initial: dict[str, Any] = {}
    for spec in step.inputs:
        key = spec["key"]
        if key not in answers:
            continue
        value = answers[key]
        if spec["type"] == "file":
            continue  # a file input shows no earlier file; the step lists them
        if spec["type"] == "address":
            if isinstance(value, dict):
                initial.update({f"{key}_{part}": value.get(part, "") for part in ADDRESS_PARTS})
            continue
        decimal = spec["type"] == "money" or spec.get("decimals")
        if spec["type"] in ("number", "money") and decimal and isinstance(value, str):
            value = value.replace(".", ",")
        if spec["type"] == "iban" and value:
            value = IBAN(value, validate_bban=False).formatted
        if spec["type"] == "phone" and value:
            value = _phone_display(value)
        initial[key] = value
    return initial


def _phone_display(value: str) -> str:
    try:
        number = phonenumbers.parse(value, "DE")
    except phonenumbers.NumberParseException:
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if number.country_code == 49
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def money_display(value: Decimal | str) -> str:
    """An amount the German way: "1.234,50 €"."""
    amount = Decimal(value)
    return f"{formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)} €"


def computed_display(
    spec: dict[str, Any], definition: dict[str, Any], answers: dict[str, Any]
) -> str:
    """A computed value (e.g. the fee) worked out from the answers, or "noch offen"."""
    amount = rule_money(spec["compute"], logic_data(definition, answers))
    return money_display(amount) if amount is not None else _("noch offen")


def answer_display(spec: dict[str, Any], value: Any) -> str:
    """An answer as the citizen gave it, in the words of the version it was given to."""
    if value in (None, ""):
        return _("keine Angabe")
    kind = spec["type"]
    if kind == "yes_no":
        return _("Ja") if value == YES else _("Nein")
    if kind == "choice":
        labels = {o["value"]: text_in(o["label"]) for o in spec["options"]}
        if isinstance(value, list):
            return ", ".join(labels.get(v, str(v)) for v in value)
        return labels.get(value, str(value))
    if kind in ("money", "computed"):
        return money_display(value)
    if kind == "phone":
        return _phone_display(value)
    if kind == "iban":
        return str(IBAN(value, validate_bban=False).formatted)
    if kind == "file" and isinstance(value, list):
        return ", ".join(str(f.get("name", "")) for f in value if isinstance(f, dict))
    if kind == "address" and isinstance(value, dict):
        street, postcode, town = (value.get(part, "") for part in ADDRESS_PARTS)
        return f"{street}\n{postcode} {town}".strip()
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


class PayMethodForm(forms.Form):
    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["method"] = forms.ChoiceField(
            label=_("Wie möchten Sie bezahlen?"),
            choices=choices,
            widget=forms.RadioSelect,
            error_messages={"required": _("Wählen Sie aus, wie Sie bezahlen möchten.")},
        )
