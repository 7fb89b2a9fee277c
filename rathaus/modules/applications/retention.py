"""Data minimisation per form, as Open Forms does it: how long drafts, decided and failed
applications are kept, and the nightly job that removes or anonymises what is due.

A form's definition may say, under ``retention`` (all optional):

``drafts_days``
    a saved draft is removed this many days after it was last saved (its link lives
    ``services.DRAFT_DAYS`` at most anyway);
``finished_days`` and ``finished_action``
    a decided case (abgeschlossen or abgelehnt) is anonymised (``anonymise``, the
    default: the case number, form, status and dates stay in the town's records, the
    answers, addresses, name, account link and the history's texts and files go) or
    removed (``delete``) this many days after its decision;
``failed_days``
    a case that never came in (its fee still unpaid) is removed this many days after
    it was sent.

The job runs per town; for each form with something due it writes one audit entry
naming the case numbers, and the stored files go after the rows are committed.
"""

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.models import Municipality

from .models import CaseEvent, Draft, Form, Submission

logger = logging.getLogger(__name__)
RETENTION = Actor.system("retention")
Status = Submission.Status
DECIDED = (Status.DONE, Status.REJECTED)


def _files_of(submissions: list[Submission]) -> list[str]:
    names = [
        item["file"]
        for submission in submissions
        for value in submission.answers.values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, dict) and item.get("file")
    ]
    names += [
        item["file"]
        for event in CaseEvent.objects.filter(submission__in=submissions)
        for item in event.files
        if item.get("file")
    ]
    return names


def _files_delete(names: list[str]) -> None:
    storage = private_storage()
    for name in names:
        storage.delete(name)


def _rules(form: Form) -> dict[str, Any]:
    version = form.live_version
    rules = version.definition.get("retention") if version is not None else None
    return rules if isinstance(rules, dict) else {}


def retention_apply(*, town: Municipality, now: dt.datetime | None = None) -> dict[str, Any]:
    """Removes or anonymises, per form, what its ``retention`` says is due; idempotent.

    Returns what it did: case numbers anonymised and removed, and drafts removed.
    The rules of the form's live version apply to all of the form's applications.
    """
    now = now or timezone.now()
    done: dict[str, Any] = {"anonymised": [], "deleted": [], "drafts": 0}
    for form in Form.objects.select_related("live_version").order_by("pk"):
        rules = _rules(form)
        if rules:
            result = _form_apply(town=town, form=form, rules=rules, now=now)
            done["anonymised"] += result["anonymised"]
            done["deleted"] += result["deleted"]
            done["drafts"] += result["drafts"]
    return done


def _form_apply(
    *, town: Municipality, form: Form, rules: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    with transaction.atomic():
        drafts = 0
        if days := rules.get("drafts_days"):
            _total, by_model = Draft.objects.filter(
                form=form, saved_at__lt=now - dt.timedelta(days=int(days))
            ).delete()
            drafts = by_model.get(Draft._meta.label, 0)
        to_delete: list[Submission] = []
        to_anonymise: list[Submission] = []
        if days := rules.get("finished_days"):
            due = list(
                Submission.objects.select_for_update()
                .filter(form=form, status__in=DECIDED)
                .filter(
                    Q(status_changed_at__lt=now - dt.timedelta(days=int(days)))
                    | Q(
                        status_changed_at__isnull=True,
                        submitted_at__lt=now - dt.timedelta(days=int(days)),
                    )
                )
                .exclude(answers={}, email="", applicant_name="", user=None)
            )
            if rules.get("finished_action") == "delete":
                to_delete += due
            else:
                to_anonymise += due
        if days := rules.get("failed_days"):
            to_delete += list(
                Submission.objects.select_for_update().filter(
                    form=form,
                    status=Status.AWAITING_PAYMENT,
                    submitted_at__lt=now - dt.timedelta(days=int(days)),
                )
            )
        files = _files_of(to_delete + to_anonymise)
        anonymised = sorted(s.reference for s in to_anonymise)
        deleted = sorted(s.reference for s in to_delete)
        if to_anonymise:
            pks = [s.pk for s in to_anonymise]
            Submission.objects.filter(pk__in=pks).update(
                answers={}, email="", applicant_name="", user=None
            )
            CaseEvent.objects.filter(submission_id__in=pks).update(text="", files=[], author=None)
        if to_delete:
            Submission.objects.filter(pk__in=[s.pk for s in to_delete]).delete()
        if anonymised or deleted or drafts:
            audit_record(
                town=town,
                actor=RETENTION,
                action="applications.case.retention",
                target=form.slug,
                after={"anonymised": anonymised, "deleted": deleted, "drafts": drafts},
            )
            logger.info(
                "applications retention in %s, form %s: %s anonymised, %s deleted, %s drafts",
                town.schema_name,
                form.slug,
                len(anonymised),
                len(deleted),
                drafts,
            )
        transaction.on_commit(lambda: _files_delete(files))
    return {"anonymised": anonymised, "deleted": deleted, "drafts": drafts}
