"""Template tags of the design system: the error summary, the "Fehler:" title, widgets.

``portal/base.html`` calls ``error_summary`` and ``error_title_prefix`` for every page,
so any bound form with errors in a view's context gets the GOV.UK/KERN error pattern
without the page doing anything.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms, template
from django.forms.boundfield import BoundField, BoundWidget
from django.template.context import Context
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from rathaus.platform.branding.selectors import offered_by as offered_by_line
from rathaus.platform.design.forms import choice_attrs, field_kind, widget_attrs

register = template.Library()


@dataclass(frozen=True)
class SummaryError:
    """One line of the error summary: the message and the field it links to."""

    message: str
    target_id: str


def _forms_in(context: Context) -> Iterator[forms.BaseForm]:
    """Every bound form in the context, formsets' forms included, each once."""
    seen: set[int] = set()
    for value in context.flatten().values():
        candidates: list[Any] = []
        if isinstance(value, forms.BaseForm):
            candidates = [value]
        elif isinstance(value, forms.BaseFormSet):
            candidates = [value.management_form, *value.forms]
        for form in candidates:
            if isinstance(form, forms.BaseForm) and form.is_bound and id(form) not in seen:
                seen.add(id(form))
                yield form


def _first_field_id(form: forms.BaseForm) -> str:
    for field in form.visible_fields():
        return str(field.auto_id or "")
    return ""


def summary_errors(context: Context) -> list[SummaryError]:
    """The errors of every form in the context, in the order the fields appear."""
    lines: list[SummaryError] = []
    for form in _forms_in(context):
        if not form.errors:
            continue
        for message in form.non_field_errors():
            lines.append(SummaryError(str(message), _first_field_id(form)))
        for field in form:
            for message in field.errors:
                # A widget of several inputs (hours and minutes) names the one to focus.
                target = field.id_for_label or field.auto_id or ""
                if field_kind(field) == "choices":
                    target = f"{field.auto_id}_0"
                lines.append(SummaryError(str(message), str(target)))
    return lines


@register.inclusion_tag("design/error_summary.html", takes_context=True)
def error_summary(context: Context) -> dict[str, Any]:
    """The box at the top of a page listing every error, each linking to its field."""
    return {"errors": summary_errors(context)}


@register.simple_tag(takes_context=True)
def error_title_prefix(context: Context) -> str:
    """ "Fehler: " while any form in the context has errors (WCAG 3.3.1, GOV.UK)."""
    if any(form.errors for form in _forms_in(context)):
        return _("Fehler: ")
    return ""


@register.filter
def kern_kind(field: BoundField) -> str:
    return field_kind(field)


@register.filter
def kern_widget(field: BoundField) -> SafeString:
    """The field's widget with KERN's classes, its descriptions and autocomplete."""
    return field.as_widget(attrs=widget_attrs(field))


@register.filter
def kern_option(option: BoundWidget, field: BoundField) -> SafeString:
    """One radio or checkbox of a group, with KERN's classes."""
    option.data["attrs"] = {**option.data.get("attrs", {}), **choice_attrs(field)}
    if field.help_text or field.errors:
        described = [f"{field.auto_id}_hint"] if field.help_text else []
        described += [f"{field.auto_id}_error"] if field.errors else []
        option.data["attrs"]["aria-describedby"] = " ".join(described)
    return format_html("{}", option.tag(wrap_label=False))


@register.simple_tag
def offered_by(branding: Any, town: Any) -> str:
    """ "Ein Angebot der Stadt …" from the town's authority name (or its name)."""
    authority = (getattr(branding, "authority_name", "") or "") or getattr(town, "name", "")
    return offered_by_line(authority) if authority else ""
