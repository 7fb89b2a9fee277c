"""Every field type reads what people type, says in German what is wrong, and shows it again."""

from typing import Any

import pytest
from django.utils import translation

from rathaus.modules.applications.definition import Step, definition_problems
from rathaus.modules.applications.forms import StepForm, answer_display, step_initial
from tests.modules.applications.conftest import dog_definition


def _step(*specs: dict[str, Any]) -> Step:
    return Step(1, "s", "Schritt", specs)


def _form(spec: dict[str, Any], data: dict[str, Any]) -> StepForm:
    with translation.override("de"):
        form = StepForm(data, step=_step(spec))
        form.is_valid()
    return form


PHONE = {"key": "phone", "type": "phone", "required": True, "label": {"de": "Telefon"}}
IBAN_SPEC = {"key": "iban", "type": "iban", "required": True, "label": {"de": "IBAN"}}
MONEY = {"key": "amount", "type": "money", "required": True, "label": {"de": "Betrag"}}
PLACE = {"key": "home", "type": "address", "required": True, "label": {"de": "Anschrift"}}
TOPICS = {
    "key": "topics",
    "type": "choice",
    "widget": "checkboxes",
    "required": True,
    "label": {"de": "Themen"},
    "options": [
        {"value": "dog", "label": {"de": "Hund"}},
        {"value": "cat", "label": {"de": "Katze"}},
    ],
}


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("03935 123456", "+493935123456", "03935 123456"),
        ("+49 (0)3935 123456", "+493935123456", "03935 123456"),
        ("+33 1 42 68 53 00", "+33142685300", "+33 1 42 68 53 00"),
    ],
)
def test_a_phone_number_is_kept_in_one_form_and_shown_as_people_write_it(
    typed: str, stored: str, shown: str
) -> None:
    form = _form(PHONE, {"phone": typed})

    assert form.stored() == {"phone": stored}
    assert answer_display(PHONE, stored) == shown


def test_a_wrong_phone_number_is_refused_in_german() -> None:
    form = _form(PHONE, {"phone": "12"})

    assert form.errors["phone"] == [
        "Geben Sie bei „Telefon“ eine Telefonnummer an, z. B. 03935 123456 oder +49 3935 123456."
    ]


def test_an_iban_is_checked_and_kept_compact() -> None:
    good = _form(IBAN_SPEC, {"iban": "de02 1203 0000 0000 2020 51"})
    wrong_digit = _form(IBAN_SPEC, {"iban": "DE03 1203 0000 0000 2020 51"})

    assert good.stored() == {"iban": "DE02120300000000202051"}
    assert answer_display(IBAN_SPEC, "DE02120300000000202051") == "DE02 1203 0000 0000 2020 51"
    assert step_initial(_step(IBAN_SPEC), good.stored()) == {"iban": "DE02 1203 0000 0000 2020 51"}
    assert wrong_digit.errors["iban"] == [
        "Die IBAN bei „IBAN“ ist nicht gültig. Prüfen Sie sie, z. B. DE02 1203 0000 0000 2020 51."
    ]


def test_money_is_a_decimal_in_euros_and_cents() -> None:
    form = _form(MONEY, {"amount": "1234,5"})
    too_fine = _form(MONEY, {"amount": "3,333"})
    negative = _form(MONEY, {"amount": "-1"})

    assert form.stored() == {"amount": "1234.50"}
    with translation.override("de"):
        assert answer_display(MONEY, "1234.50") == "1.234,50 €"
    assert too_fine.errors["amount"] == ["Geben Sie bei „Betrag“ höchstens 2 Nachkommastellen an."]
    assert negative.errors["amount"] == ["„Betrag“ muss mindestens 0 € sein."]


def test_checkboxes_keep_every_choice_and_need_one() -> None:
    form = _form(TOPICS, {"topics": ["dog", "cat"]})
    none = _form(TOPICS, {})

    assert form.stored() == {"topics": ["dog", "cat"]}
    assert answer_display(TOPICS, ["dog", "cat"]) == "Hund, Katze"
    assert none.errors["topics"] == ["Wählen Sie bei „Themen“ mindestens eine Antwort aus."]


def test_an_address_asks_street_postcode_and_town_each_with_its_own_error() -> None:
    good = _form(
        PLACE, {"home_street": "Markt 1", "home_postcode": "39517", "home_town": "Tangerhütte"}
    )
    wrong = _form(PLACE, {"home_street": "Markt 1", "home_postcode": "3951"})

    assert good.stored() == {
        "home": {"street": "Markt 1", "postcode": "39517", "town": "Tangerhütte"}
    }
    assert answer_display(PLACE, good.stored()["home"]) == "Markt 1\n39517 Tangerhütte"
    assert wrong.errors == {
        "home_postcode": ["Die Postleitzahl bei „Anschrift“ hat fünf Ziffern, z. B. 39517."],
        "home_town": ["Geben Sie bei „Anschrift“ den Ort an."],
    }
    assert step_initial(_step(PLACE), good.stored())["home_postcode"] == "39517"


def test_an_address_part_may_not_take_the_key_of_another_field() -> None:
    definition = dog_definition()
    definition["steps"][0]["fields"].append(
        {"key": "owner_address_town", "type": "text", "label": {"de": "Ort"}}
    )

    assert definition_problems(definition) == [
        "$.steps[0].fields[5].key: 'owner_address_town' is used by another field"
    ]
