"""What the pages read: published forms, a person's applications, the staff inbox."""

from typing import Any

from django.db.models import Q, QuerySet

from rathaus.platform.identity.models import User
from rathaus.platform.identity.selectors import account_proven_email

from .definition import logic_data, steps_of, text_in
from .forms import answer_display, computed_display
from .models import Form, Submission


def forms_published() -> QuerySet[Form]:
    return Form.objects.filter(live_version__isnull=False).select_related("live_version")


def submissions_of_user(*, user: User) -> QuerySet[Submission]:
    """The person's applications: sent from the account, or as a guest to an address they proved."""
    mine = Q(user_id=user.pk)
    if email := account_proven_email(user=user):
        mine |= Q(user__isnull=True, email__iexact=email)
    return Submission.objects.filter(mine).select_related("form", "version")


def inbox(
    *, form: Form | None = None, status: str = "", reference: str = ""
) -> QuerySet[Submission]:
    """The town's cases, newest first, filtered by form, status and case number."""
    cases = Submission.objects.select_related("form", "version").order_by("-submitted_at", "-pk")
    if form is not None:
        cases = cases.filter(form=form)
    if status:
        cases = cases.filter(status=status)
    if reference := reference.strip():
        cases = cases.filter(reference__icontains=reference)
    return cases


def answers_by_step(*, definition: dict[str, Any], answers: dict[str, Any]) -> list[dict[str, Any]]:
    """The answers grouped by step, each with the label the version asked it with.

    Only what was asked: steps and fields left out by a condition are not listed;
    computed values (the fee) are worked out from the answers.
    """
    data = logic_data(definition, answers)
    parts = []
    for step in steps_of(definition):
        if not step.shown(data):
            continue
        rows = [
            {
                "key": spec["key"],
                "label": text_in(spec.get("label")),
                "value": answer_display(spec, answers.get(spec["key"])),
            }
            for spec in step.inputs_shown(data)
        ]
        rows += [
            {
                "key": spec["key"],
                "label": text_in(spec.get("label")),
                "value": computed_display(spec, definition, answers),
            }
            for spec in step.computed
        ]
        parts.append({"step": step, "rows": rows})
    return parts
