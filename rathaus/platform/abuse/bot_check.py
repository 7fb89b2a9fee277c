"""A quiet check that a person, not a bot, sent a public form: no captcha, nothing to solve.

Two traps, added by ``BotCheckMixin``:

- ``website``, a text field hidden from sight and from screen readers (and out
  of the tab order). A person leaves it empty; a bot filling every field does not.
- ``started``, a signed token of when the form was shown (``town_dumps``: a
  token of one town is worthless on another). A form sent back faster than a
  person types (``min_fill_seconds``), or after it went stale
  (``max_fill_seconds``), or with a forged or missing token is refused.

The token is fresh each time the form is shown (a person correcting a field is
not taken for a bot) and unique, so it also names one submission of the form
(``once.submitted_once``).
"""

import secrets
import time
from typing import Any, ClassVar

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from rathaus.tenants.signing import BadToken, town_dumps, town_loads

HONEYPOT_FIELD = "website"
STARTED_FIELD = "started"
# A person needs a few seconds to fill in even a name and an e-mail address.
MIN_FILL_SECONDS = 3.0
# A form left open for longer is shown again with a fresh token.
MAX_FILL_SECONDS = 2 * 60 * 60

REFUSED = _(
    "Das ging zu schnell oder das Formular ist veraltet. Bitte prüfen Sie Ihre "
    "Angaben und senden Sie es noch einmal ab."
)


def _salt(purpose: str) -> str:
    return f"rathaus.abuse.form-started.{purpose}"


def form_started_token(*, purpose: str) -> str:
    """A token saying "the form ``purpose`` was shown now" in the current town; unique each time."""
    return town_dumps({"t": time.time(), "n": secrets.token_urlsafe(9)}, salt=_salt(purpose))


def form_started_at(*, token: str, purpose: str, max_age: int) -> float:
    """When the form ``purpose`` with ``token`` was shown (a Unix time).

    Raises ``BadToken`` for a token that is missing, forged, of another form or
    town, or older than ``max_age`` seconds.
    """
    payload = town_loads(token, salt=_salt(purpose), max_age=max_age)
    try:
        return float(payload["t"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadToken(f"not a form token: {exc}") from exc


class HoneypotInput(forms.TextInput):
    """A text field no person sees, hears or tabs into; only bots fill it in.

    It counts as a hidden widget, so a form rendered as a whole gives it no
    visible label; its own label sits in the same hidden wrapper.
    """

    @property
    def is_hidden(self) -> bool:
        return True

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = {**(attrs or {}), "tabindex": "-1", "autocomplete": "off"}
        # Never echo back what a bot typed.
        field = super().render(name, "", attrs, renderer)
        return format_html(
            '<div class="form-trap" aria-hidden="true"><label for="{}">{}</label>{}</div>',
            attrs.get("id", ""),
            _("Bitte leer lassen"),
            field,
        )


class FormStartedInput(forms.HiddenInput):
    """The hidden ``started`` token, made fresh every time the form is shown."""

    def __init__(self, *, purpose: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.purpose = purpose

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        return super().get_context(name, form_started_token(purpose=self.purpose), attrs)


class BotCheckMixin(forms.BaseForm):
    """Adds the two traps to a public form and refuses it, with one clear message, if sprung.

    Put it first among the bases (``class BookingForm(BotCheckMixin, forms.Form)``)
    and name the form's ``bot_check_purpose``. Render ``{{ form.started }}`` and
    ``{{ form.website }}`` inside the ``<form>`` (rendering the whole form does
    that too); the site's CSS hides ``.form-trap``.
    """

    bot_check_purpose: ClassVar[str]
    min_fill_seconds: ClassVar[float] = MIN_FILL_SECONDS
    max_fill_seconds: ClassVar[int] = MAX_FILL_SECONDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            required=False, label=_("Bitte leer lassen"), widget=HoneypotInput
        )
        self.fields[STARTED_FIELD] = forms.CharField(
            required=False, widget=FormStartedInput(purpose=self.bot_check_purpose)
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get(HONEYPOT_FIELD):
            raise forms.ValidationError(REFUSED, code="bot")
        try:
            started = form_started_at(
                token=data.get(STARTED_FIELD, ""),
                purpose=self.bot_check_purpose,
                max_age=self.max_fill_seconds,
            )
        except BadToken:
            raise forms.ValidationError(REFUSED, code="stale") from None
        if time.time() - started < self.min_fill_seconds:
            raise forms.ValidationError(REFUSED, code="bot")
        return data

    @property
    def submission_token(self) -> str:
        """The valid form's ``started`` token: it names this one showing of the form."""
        return str(self.cleaned_data[STARTED_FIELD])
