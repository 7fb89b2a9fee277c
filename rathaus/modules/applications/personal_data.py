"""What the applications module keeps on a person, for "Meine Daten" and account deletion.

A person's applications are those sent from the account and those sent as a guest
to an address the person proved.
"""

from typing import Any

from django.db import transaction

from rathaus.platform.identity.models import User

from .definition import text_in
from .models import Draft, Submission
from .selectors import answers_by_step, submissions_of_user


def applications_data_export(*, user: User) -> dict[str, Any]:
    return {
        "applications": [
            {
                "reference": submission.reference,
                "form": text_in(submission.version.definition["title"]),
                "form_version": submission.version.number,
                "status": submission.status,
                "submitted_at": submission.submitted_at.isoformat(),
                "email": submission.email,
                "answers": {
                    row["label"]: row["value"]
                    for part in answers_by_step(
                        definition=submission.version.definition, answers=submission.answers
                    )
                    for row in part["rows"]
                },
            }
            for submission in submissions_of_user(user=user).order_by("pk")
        ],
        "application_drafts": [
            {
                "form": text_in(draft.version.definition["title"]),
                "saved_at": draft.saved_at.isoformat(),
                "expires_at": draft.expires_at.isoformat(),
                "answers": draft.answers,
            }
            for draft in Draft.objects.filter(user=user).select_related("version").order_by("pk")
        ],
    }


@transaction.atomic
def applications_data_erase(*, user: User) -> None:
    """Anonymises the person's applications: the case (number, form, status) stays in the
    town's records, the answers, the address and the link to the account go."""
    Submission.objects.filter(pk__in=submissions_of_user(user=user).values("pk")).update(
        answers={}, email="", user=None
    )
    Draft.objects.filter(user=user).delete()
