"""The one form renderer: every Django form of Rathaus renders the KERN/GOV.UK way.

Labels above inputs, the hint and the error between label and input (both named by
``aria-describedby``), KERN's classes on every widget, ``autocomplete`` where the
field's name says what it holds, and one ``fieldset`` per group of radios or
checkboxes. Pages get the error summary and the "Fehler:" title from
``portal/base.html`` (``design.templatetags.design``), so a view only passes its form.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates
from django.forms.widgets import Input

# What a field of this name holds, in the HTML autocomplete vocabulary (WCAG 1.3.5).
# A form may set ``widget.attrs["autocomplete"]`` itself; this only fills the gaps.
AUTOCOMPLETE_BY_NAME: Mapping[str, str] = {
    "email": "email",
    "username": "username",
    "first_name": "given-name",
    "given_name": "given-name",
    "last_name": "family-name",
    "family_name": "family-name",
    "name": "name",
    "full_name": "name",
    "phone": "tel",
    "mobile": "tel",
    "phone_number": "tel",
    "organisation": "organization",
    "organization": "organization",
    "organisation_name": "organization",
    "street": "street-address",
    "address": "street-address",
    "postal_code": "postal-code",
    "postcode": "postal-code",
    "zip_code": "postal-code",
    "city": "address-level2",
    "country": "country-name",
    "birth_date": "bday",
    "date_of_birth": "bday",
    "iban": "off",
    "otp_token": "one-time-code",
    "code": "one-time-code",
    "token": "one-time-code",
    "password": "current-password",
    "new_password1": "new-password",
    "new_password2": "new-password",
    "password1": "new-password",
    "password2": "new-password",
}

CHOICE_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple)
TEXT_INPUTS = frozenset(
    {
        "text",
        "email",
        "url",
        "tel",
        "number",
        "password",
        "search",
        "date",
        "time",
        "datetime-local",
        "month",
        "week",
        "color",
        "file",
    }
)


class KernFormRenderer(DjangoTemplates):
    """Django's template renderer with Rathaus' form, field and formset templates."""

    form_template_name = "design/forms/form.html"
    formset_template_name = "design/forms/formset.html"
    field_template_name = "design/forms/field.html"


def field_kind(field: BoundField) -> str:
    """How the field template lays a field out: "choices", "checkbox", "hidden" or "input"."""
    widget = field.field.widget
    if field.is_hidden:
        return "hidden"
    if isinstance(widget, CHOICE_WIDGETS):
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    return "input"


def widget_attrs(field: BoundField) -> dict[str, Any]:
    """The attributes the field's widget gets: KERN's class, error state, descriptions."""
    widget = field.field.widget
    attrs: dict[str, Any] = {}
    described_by = [
        *([f"{field.auto_id}_hint"] if field.help_text else []),
        *([f"{field.auto_id}_error"] if field.errors else []),
    ]
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    if isinstance(widget, forms.Select) and not isinstance(widget, CHOICE_WIDGETS):
        css = "kern-form-input__select"
    elif isinstance(widget, forms.CheckboxInput):
        css = "kern-form-check__checkbox"
    elif isinstance(widget, forms.Textarea) or getattr(widget, "input_type", "") in TEXT_INPUTS:
        css = "kern-form-input__input"
    else:
        css = ""
    if css:
        error_css = f" {css}--error" if field.errors else ""
        attrs["class"] = f"{css}{error_css} {widget.attrs.get('class', '')}".strip()
    known = AUTOCOMPLETE_BY_NAME.get(field.name)
    takes_autocomplete = isinstance(widget, Input) and not isinstance(widget, forms.CheckboxInput)
    if known and takes_autocomplete and "autocomplete" not in widget.attrs:
        attrs["autocomplete"] = known
    return attrs


def choice_attrs(field: BoundField) -> dict[str, Any]:
    """The attributes of each radio or checkbox of a group."""
    radio = isinstance(field.field.widget, forms.RadioSelect)
    css = "kern-form-check__radio" if radio else "kern-form-check__checkbox"
    return {"class": f"{css}{f' {css}--error' if field.errors else ''}"}
