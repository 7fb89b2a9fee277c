"""Durations as people say them: "1 Std. 30 Min.", asked for in hours and minutes.

Stored values stay whole minutes (an ``int``); only the page speaks hours and
minutes. ``DurationField`` is a form field of two number inputs (hours,
minutes) that cleans to minutes, with messages that say what is wrong
("Die Minuten müssen zwischen 0 und 59 liegen."), and ``duration_text`` writes
minutes the way the pages show them.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


def duration_text(minutes: int | None, *, long: bool = False) -> str:
    """``90`` → "1 Std. 30 Min." (``long``: "1 Stunde 30 Minuten"); ``0`` → "0 Min."."""
    if minutes is None:
        return ""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(
            ngettext("%(n)s Stunde", "%(n)s Stunden", hours) % {"n": hours}
            if long
            else _("%(n)s Std.") % {"n": hours}
        )
    if rest or not hours:
        parts.append(
            ngettext("%(n)s Minute", "%(n)s Minuten", rest) % {"n": rest}
            if long
            else _("%(n)s Min.") % {"n": rest}
        )
    return " ".join(parts)


class DurationWidget(forms.MultiWidget):
    """Two number inputs, "Stunden" and "Minuten", in one group (the template labels them)."""

    template_name = "portal/widgets/duration.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        number = {"inputmode": "numeric", "min": "0", "step": "1"}
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "hours": forms.NumberInput(attrs={**number, "size": "3"}),
            "minutes": forms.NumberInput(attrs={**number, "max": "59", "size": "2"}),
        }
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[int | None]:
        if value in (None, ""):
            return [None, None]
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            return [None, None]
        return list(divmod(minutes, 60))

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        labels = [_("Stunden"), _("Minuten")]
        units = [_("Std."), _("Min.")]
        invalid = (attrs or {}).get("aria-invalid") == "true"
        css = "kern-form-input__input" + (" kern-form-input__input--error" if invalid else "")
        for subwidget, label, unit in zip(
            context["widget"]["subwidgets"], labels, units, strict=True
        ):
            subwidget["part_label"] = label
            subwidget["unit"] = unit
            subwidget["attrs"]["class"] = css
        return context

    def id_for_label(self, id_: str) -> str:
        # The field's label names the group; the hours input takes the focus.
        return f"{id_}_0" if id_ else id_


class DurationField(forms.MultiValueField):
    """A duration asked for in hours and minutes, cleaned to whole minutes.

    ``min_minutes``/``max_minutes`` bound the total; every message says what is
    wrong in the words of the page ("Bitte mindestens 5 Min. angeben.").
    Either part may stay empty ("2" hours and nothing else is 120 minutes).
    """

    widget = DurationWidget

    def __init__(
        self,
        *,
        min_minutes: int = 0,
        max_minutes: int | None = None,
        **kwargs: Any,
    ) -> None:
        self.min_minutes = min_minutes
        self.max_minutes = max_minutes
        parts_messages = {"invalid": _("Bitte ganze Zahlen angeben.")}
        fields = (
            forms.IntegerField(required=False, error_messages=parts_messages),
            forms.IntegerField(required=False, error_messages=parts_messages),
        )
        error_messages = {
            "required": _("Bitte eine Dauer in Stunden und Minuten angeben."),
            "incomplete": _("Bitte eine Dauer in Stunden und Minuten angeben."),
            **kwargs.pop("error_messages", {}),
        }
        super().__init__(fields, require_all_fields=False, error_messages=error_messages, **kwargs)
        for field in self.fields:
            field.required = False

    def clean(self, value: Any) -> int | None:
        # The parts' own messages ("Geben Sie eine ganze Zahl ein.") say less than ours.
        if not isinstance(value, list | tuple):
            value = DurationWidget().decompress(value)
        hours_raw, minutes_raw = ([*list(value), None, None])[:2]
        if all(part in (None, "") for part in (hours_raw, minutes_raw)):
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return None
        hours = self._part(hours_raw, _("Stunden"))
        minutes = self._part(minutes_raw, _("Minuten"))
        if minutes > 59:
            raise ValidationError(
                _("Die Minuten müssen zwischen 0 und 59 liegen; 60 Minuten sind 1 Stunde."),
                code="minutes",
            )
        total = hours * 60 + minutes
        if total < self.min_minutes:
            raise ValidationError(
                _("Bitte mindestens %(min)s angeben.") % {"min": duration_text(self.min_minutes)},
                code="min",
            )
        if self.max_minutes is not None and total > self.max_minutes:
            raise ValidationError(
                _("Bitte höchstens %(max)s angeben.") % {"max": duration_text(self.max_minutes)},
                code="max",
            )
        return total

    def _part(self, raw: Any, name: Any) -> int:
        if raw in (None, ""):
            return 0
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise ValidationError(
                _("%(part)s: bitte eine ganze Zahl angeben, z. B. 1 oder 30.") % {"part": name},
                code="invalid",
            ) from None
        if number < 0:
            raise ValidationError(
                _("%(part)s: bitte keine negative Zahl angeben.") % {"part": name},
                code="negative",
            )
        return number

    def compress(self, data_list: list[Any]) -> int | None:  # pragma: no cover - clean() wins
        return None

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.clean(data) != (None if initial in (None, "") else int(initial))
        except (ValidationError, ValueError, TypeError):
            return True
