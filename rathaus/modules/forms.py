"""An HTML form for any module's settings, derived from the module's settings serializer.

The serializer stays the one place that validates; this form only collects
input. Flat fields get matching inputs; lists and nested objects are edited
as JSON with an example, since they have no natural single input.
"""

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rathaus.modules.registry import DurationMinutes, modules
from rathaus.modules.services import module_settings_validate
from rathaus.platform.durations import DurationField


def _form_field(field: serializers.Field) -> forms.Field:
    common: dict[str, Any] = {
        "label": field.label or field.field_name,
        "required": False,
        "help_text": field.help_text or "",
    }
    if isinstance(field, DurationMinutes):
        return DurationField(
            min_minutes=field.min_value or 0, max_minutes=field.max_value, **common
        )
    if isinstance(field, serializers.BooleanField):
        return forms.BooleanField(**common)
    if isinstance(field, serializers.ChoiceField):
        return forms.ChoiceField(choices=list(field.choices.items()), **common)
    if isinstance(field, serializers.IntegerField):
        return forms.IntegerField(**common)
    if isinstance(field, serializers.EmailField):
        return forms.CharField(widget=forms.EmailInput, **common)
    if isinstance(field, serializers.URLField):
        return forms.CharField(widget=forms.URLInput, **common)
    if isinstance(field, serializers.TimeField):
        return forms.CharField(widget=forms.TimeInput(attrs={"type": "time"}), **common)
    if isinstance(field, serializers.DateField):
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if isinstance(
        field, serializers.ListSerializer | serializers.ListField | serializers.Serializer
    ):
        common["help_text"] = _("Als JSON, z. B. %(example)s") % {"example": _example(field)}
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}), **common
        )
    if isinstance(field, serializers.CharField) and (field.max_length or 0) > 200:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), **common)
    return forms.CharField(**common)


def _example(field: serializers.Field) -> str:
    child = getattr(field, "child", None)
    if isinstance(child, serializers.Serializer):
        return json.dumps([{name: "…" for name in child.fields}], ensure_ascii=False)
    return "[]"


def _is_json(field: serializers.Field) -> bool:
    return isinstance(
        field, serializers.ListSerializer | serializers.ListField | serializers.Serializer
    )


class ModuleSettingsForm(forms.Form):
    """Collects a module's settings; ``settings()`` gives the data for the serializer."""

    def __init__(self, *args: Any, module_key: str, **kwargs: Any) -> None:
        serializer_class = modules[module_key].settings_serializer
        if serializer_class is None:
            raise ValueError(f"Module {module_key!r} has no settings")
        self.module_key = module_key
        initial = kwargs.pop("initial", None) or {}
        self.serializer_fields = serializer_class().fields
        kwargs["initial"] = {
            name: json.dumps(value, ensure_ascii=False, indent=1)
            if _is_json(self.serializer_fields[name])
            else value
            for name, value in initial.items()
            if name in self.serializer_fields
        }
        super().__init__(*args, **kwargs)
        for name, field in self.serializer_fields.items():
            if not field.read_only:
                self.fields[name] = _form_field(field)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if _is_json(self.serializer_fields[name]) and isinstance(value, str):
                try:
                    cleaned[name] = json.loads(value or "[]")
                except json.JSONDecodeError as error:
                    self.add_error(
                        name,
                        _("Kein gültiges JSON (Zeile %(line)s, Spalte %(col)s): %(msg)s")
                        % {"line": error.lineno, "col": error.colno, "msg": error.msg},
                    )
        # The module validates; its messages land at the fields they concern.
        try:
            module_settings_validate(key=self.module_key, settings=self.settings())
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)
                elif field not in self.fields:
                    self.add_error(None, messages)
        return cleaned

    def settings(self) -> dict[str, Any]:
        """The collected input, without fields left empty or broken."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value is not None and name not in self.errors
        }
