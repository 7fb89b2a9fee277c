"""What the pages read: published forms, a person's applications, the staff inbox."""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from rathaus.platform.identity.models import User
from rathaus.platform.identity.selectors import account_proven_email
from rathaus.platform.staff.selectors import may_work_on

from .definition import logic_data, steps_of, text_in
from .forms import answer_display, computed_display
from .models import CaseEvent, Form, Submission


def forms_published() -> QuerySet[Form]:
    return Form.objects.filter(live_version__isnull=False).select_related("live_version")


def submissions_of_user(*, user: User) -> QuerySet[Submission]:
    """The person's applications: sent from the account, or as a guest to an address they proved."""
    mine = Q(user_id=user.pk)
    if email := account_proven_email(user=user):
        mine |= Q(user__isnull=True, email__iexact=email)
    return Submission.objects.filter(mine).select_related("form", "version")


NOBODY = "none"


def inbox(
    *,
    form: Form | None = None,
    status: str = "",
    reference: str = "",
    assignee: User | str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[Submission]:
    """The town's cases, newest first, filtered by form, status, assignee (a clerk, or
    ``NOBODY`` for cases given to no one), the day they came in (both ends included) and
    ``reference``: a part of the case number or of the applicant's name."""
    # The list shows no answers: they (and the version's definition) stay in the database.
    cases = (
        Submission.objects.select_related("form", "assignee")
        .defer("answers")
        .order_by("-submitted_at", "-pk")
    )
    if form is not None:
        cases = cases.filter(form=form)
    if status:
        cases = cases.filter(status=status)
    if assignee == NOBODY:
        cases = cases.filter(assignee__isnull=True)
    elif isinstance(assignee, User):
        cases = cases.filter(assignee=assignee)
    if since is not None:
        cases = cases.filter(submitted_at__gte=_day_start(since))
    if until is not None:
        cases = cases.filter(submitted_at__lt=_day_start(until + dt.timedelta(days=1)))
    if reference := reference.strip():
        cases = cases.filter(
            Q(reference__icontains=reference) | Q(applicant_name__icontains=reference)
        )
    return cases


def _day_start(day: dt.date) -> dt.datetime:
    """Midnight of ``day`` in the town's time zone."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def clerks() -> list[User]:
    """The town's staff who may work the cases (the module's clerks and the town admins)."""
    return [
        user
        for user in User.objects.filter(is_staff=True, is_active=True).order_by("email")
        if may_work_on(user=user, module="applications", role="clerk")
    ]


def case_events(*, submission: Submission, internal: bool) -> QuerySet[CaseEvent]:
    """What happened on the case, oldest first; the citizen's view (``internal=False``)
    leaves out staff's notes."""
    events = submission.events.select_related("author").order_by("created_at", "pk")
    if not internal:
        events = events.exclude(kind=CaseEvent.Kind.NOTE)
    return events


def submission_files(*, submission: Submission) -> list[dict[str, Any]]:
    """The files uploaded with the application (each as ``uploads_store`` gave it)."""
    return [
        item
        for value in submission.answers.values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, dict) and "sha256" in item and "file" in item
    ]


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


def citizen_status_code(*, submission: Submission) -> str:
    """The status as the citizen sees it: a status the form keeps internal
    (``internal_statuses``) shows as "eingegangen" (``received``)."""
    status = submission.status
    if status in submission.version.definition.get("internal_statuses", ()):
        status = Submission.Status.RECEIVED
    return str(status)


def citizen_status(*, submission: Submission) -> str:
    """The words of ``citizen_status_code``: "eingegangen", "Rückfrage", ..."""
    return str(dict(Submission.Status.choices)[citizen_status_code(submission=submission)])
