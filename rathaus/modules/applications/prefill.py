"""First answers from the person's account, marked where the state account verified them."""

from typing import Any

from django.utils.translation import gettext as _

from rathaus.platform.identity.models import User

from .definition import ADDRESS_PARTS, Step
from .forms import StepForm

# A prefill source and the account fields it reads (all verified: the mark says so).
SOURCES: dict[str, tuple[str, ...]] = {
    "account.name": ("first_name", "last_name"),
    "account.first_name": ("first_name",),
    "account.last_name": ("last_name",),
    "account.email": ("email",),
    "account.birth_date": ("birth_date",),
    "account.address": ("street", "postal_code", "city"),
}


def _value(source: str, user: User) -> Any:
    if source == "account.name":
        return user.get_full_name()
    if source == "account.address":
        parts = (user.street, user.postal_code, user.city)
        return dict(zip(ADDRESS_PARTS, parts, strict=True)) if any(parts) else ""
    value = getattr(user, SOURCES[source][0])
    return value.isoformat() if hasattr(value, "isoformat") else (value or "")


def prefill_answers(*, step: Step, user: User, answers: dict[str, Any]) -> dict[str, Any]:
    """The account's values for the step's fields not answered yet."""
    return {
        spec["key"]: value
        for spec in step.inputs
        if (source := spec.get("prefill"))
        and spec["key"] not in answers
        and (value := _value(source, user))
    }


def prefill_mark(*, form: StepForm, user: User, prefilled: dict[str, Any]) -> None:
    """Adds to each prefilled field's hint where its value came from."""
    for key in prefilled:
        spec = form.specs[key]
        verified = set(user.verified_fields or []) >= set(SOURCES[spec["prefill"]])
        mark = (
            _("Vom Landeskonto bestätigt; Sie können es ändern.")
            if verified
            else _("Aus Ihrem Konto übernommen; Sie können es ändern.")
        )
        for name in form.names_of(key)[:1]:
            field = form.fields[name]
            field.help_text = f"{field.help_text} {mark}".strip()
