"""What the applications module keeps on a person, for "Meine Daten" and account deletion.

A person's applications are those sent from the account and those sent as a guest
to an address the person proved.
"""

from typing import Any

from django.db import transaction

from rathaus.platform.identity.models import User

from .definition import text_in
from .models import CaseEvent, Draft, Submission
from .selectors import answers_by_step, case_events, submissions_of_user


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
                "history": [
                    {
                        "what": event.get_kind_display(),
                        "at": event.created_at.isoformat(),
                        "text": event.text,
                        "files": [item.get("name", "") for item in event.files],
                    }
                    for event in case_events(submission=submission, internal=False)
                ],
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
    mine = list(submissions_of_user(user=user).values_list("pk", flat=True))
    Submission.objects.filter(pk__in=mine).update(
        answers={}, email="", user=None, applicant_name=""
    )
    # What was said on the case (questions, answers, decisions) is about the person too.
    CaseEvent.objects.filter(submission_id__in=mine).update(text="", files=[], author=None)
    CaseEvent.objects.filter(author=user).update(author=None)
    Draft.objects.filter(user=user).delete()
