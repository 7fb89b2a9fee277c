"""The bot check of public forms: people pass, bots and stale or foreign forms do not."""

import re
import time
from typing import Any

import pytest
from django import forms
from django.core import signing
from django.utils import translation
from django_tenants.utils import tenant_context

from rathaus.platform.abuse.bot_check import BotCheckMixin
from rathaus.tenants.models import Municipality

REFUSED = "Das ging zu schnell oder das Formular ist veraltet."


class SignUpForm(BotCheckMixin, forms.Form):
    bot_check_purpose = "tests.sign-up"

    name = forms.CharField()


class OtherForm(BotCheckMixin, forms.Form):
    bot_check_purpose = "tests.other"


def _shown(town: Municipality, form_class: type[BotCheckMixin] = SignUpForm) -> str:
    """The ``started`` token of the form as a page shows it in ``town``."""
    with tenant_context(town):
        html = str(form_class()["started"])
    found = re.search(r'name="started" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _sent(town: Municipality, **data: Any) -> SignUpForm:
    with tenant_context(town):
        form = SignUpForm({"name": "Erika", "website": "", **data})
        form.is_valid()
        return form


def _refusal(form: SignUpForm) -> str:
    (error,) = form.errors.as_data()["__all__"]
    assert REFUSED in str(error.message)
    return str(error.code)


@pytest.fixture
def patient(monkeypatch: pytest.MonkeyPatch) -> None:
    """The person took the time a person takes (tests send at once)."""
    monkeypatch.setattr(SignUpForm, "min_fill_seconds", 0)


def test_a_person_passes_and_the_token_names_the_submission(
    town_a: Municipality, patient: None
) -> None:
    token = _shown(town_a)

    form = _sent(town_a, started=token)

    assert form.is_valid(), form.errors
    assert form.submission_token == token


def test_filling_the_hidden_field_is_refused(town_a: Municipality, patient: None) -> None:
    form = _sent(town_a, started=_shown(town_a), website="https://spam.example")

    assert _refusal(form) == "bot"


def test_sending_faster_than_a_person_types_is_refused(town_a: Municipality) -> None:
    form = _sent(town_a, started=_shown(town_a))

    assert _refusal(form) == "bot"


def test_a_form_left_open_too_long_is_refused(
    town_a: Municipality, patient: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    three_hours_ago = int(time.time()) - 3 * 60 * 60
    with monkeypatch.context() as past:
        past.setattr(
            signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(three_hours_ago)
        )
        token = _shown(town_a)

    assert _refusal(_sent(town_a, started=token)) == "stale"


@pytest.mark.parametrize("started", ["", str(time.time() - 60), "a:b:c"])
def test_a_missing_or_forged_token_is_refused(
    town_a: Municipality, patient: None, started: str
) -> None:
    assert _refusal(_sent(town_a, started=started)) == "stale"


def test_a_token_of_another_town_or_another_form_is_worthless(
    town_a: Municipality, town_b: Municipality, patient: None
) -> None:
    assert _refusal(_sent(town_b, started=_shown(town_a))) == "stale"
    assert _refusal(_sent(town_a, started=_shown(town_a, OtherForm))) == "stale"


def test_every_showing_gets_its_own_token_also_after_an_error(
    town_a: Municipality, patient: None
) -> None:
    first, second = _shown(town_a), _shown(town_a)
    with tenant_context(town_a):
        again = str(SignUpForm({"name": "", "started": first})["started"])

    assert first != second
    assert first not in again


def test_the_trap_is_hidden_from_people_and_screen_readers(town_a: Municipality) -> None:
    with tenant_context(town_a):
        sent = SignUpForm({"name": "Bot", "website": "https://spam.example"})
        trap = str(sent["website"])
        whole = str(SignUpForm())

    assert trap.startswith('<div class="form-trap" aria-hidden="true"><label for="id_website">')
    assert 'tabindex="-1"' in trap
    assert 'autocomplete="off"' in trap
    assert "spam.example" not in trap  # what a bot typed is never shown back
    # Rendered as a whole, the form gives the trap no label outside its hidden wrapper.
    assert whole.count("Bitte leer lassen") == 1
    assert trap in whole


def test_the_refusal_speaks_the_visitors_language(town_a: Municipality) -> None:
    with translation.override("en"):
        form = _sent(town_a, started="")
        shown = str(form.errors["__all__"])

    assert "That was too fast or the form has expired" in shown
