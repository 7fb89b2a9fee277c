"""Small helpers every form-handling view shares."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def posted(request: HttpRequest) -> Any:
    """The submitted data, or ``None`` for a GET: an empty POST must still bind the form."""
    return request.POST if request.method == "POST" else None


def form_errors_apply(form: forms.BaseForm, error: ValidationError) -> None:
    """Shows a service's ``ValidationError`` at the fields it names (others at the top)."""
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)
