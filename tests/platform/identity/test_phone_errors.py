"""A wrong phone number is named in the page's language: German, or English on request."""

import importlib
import pkgutil

import pytest
from django import forms
from django.test import Client
from phonenumber_field.formfields import PhoneNumberField

import rathaus
from tests.platform.identity.test_account_pages import PERSON

GERMAN = "Bitte geben Sie eine Mobilnummer wie 0151 23456789 ein."
ENGLISH = "Please enter a mobile number such as 0151 23456789."
LIBRARY_DEFAULT = "Enter a valid phone number"
WRONG_NUMBERS = ["12345", "Handy", "+1 999 9999", "0151 1234567890123"]


@pytest.mark.parametrize("number", WRONG_NUMBERS)
def test_registration_names_a_wrong_mobile_number_in_german(client_a: Client, number: str) -> None:
    html = client_a.post("/accounts/register/", {**PERSON, "phone": number}).content.decode()

    assert GERMAN in html
    assert LIBRARY_DEFAULT not in html
    assert "not valid" not in html


def test_registration_names_a_wrong_mobile_number_in_english_when_asked(client_a: Client) -> None:
    html = client_a.post(
        "/accounts/register/", {**PERSON, "phone": "12345"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert ENGLISH in html


@pytest.mark.parametrize("number", WRONG_NUMBERS)
def test_the_phone_page_names_a_wrong_number_in_german(client_a: Client, number: str) -> None:
    client_a.post("/accounts/register/", PERSON)  # registered and logged in

    html = client_a.post("/accounts/phone/", {"phone": number}).content.decode()

    assert GERMAN in html
    assert LIBRARY_DEFAULT not in html


def _all_form_classes() -> list[type[forms.BaseForm]]:
    for info in pkgutil.walk_packages(rathaus.__path__, "rathaus."):
        if info.name.rsplit(".", 1)[-1] in {"forms", "settings_forms"} or ".forms" in info.name:
            importlib.import_module(info.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type[forms.BaseForm]] = [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("rathaus."):
            found.append(cls)
    return found


def test_every_phone_field_of_rathaus_forms_has_a_german_error() -> None:
    """The library's own message has no German ("Enter a valid phone number (e.g. …)")."""
    fields = {
        f"{cls.__module__}.{cls.__qualname__}.{name}": field
        for cls in _all_form_classes()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, PhoneNumberField)
    }
    assert fields, "no phone field found: the walk over the forms is broken"
    for where, field in fields.items():
        assert LIBRARY_DEFAULT not in str(field.error_messages["invalid"]), where
