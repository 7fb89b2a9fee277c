"""What changes forms and cases: import, publish, submit, change a case's status."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import get_language

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.counters import year_counter_next
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.services import message_enqueue
from rathaus.platform.storage.private import private_file_save
from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality

from .definition import definition_parse, text_in
from .fees import fee_due
from .models import CaseCounter, Draft, Form, FormVersion, Submission

RECEIPT = "applications.receipt"

# The way a case goes: (wartet auf Zahlung →) eingegangen → in Bearbeitung → abgeschlossen /
# abgelehnt. Staff may reject a case still waiting for its fee; its payment moves it on
# to "eingegangen" (``fees.ApplicationFees``), never a person.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Submission.Status.AWAITING_PAYMENT: (Submission.Status.REJECTED,),
    Submission.Status.RECEIVED: (Submission.Status.IN_PROGRESS,),
    Submission.Status.IN_PROGRESS: (Submission.Status.DONE, Submission.Status.REJECTED),
    # A Rückfrage is asked with its question (``cases.case_query_ask``); the answer, or
    # staff who stop waiting for one, move the case on.
    Submission.Status.QUERY: (
        Submission.Status.IN_PROGRESS,
        Submission.Status.DONE,
        Submission.Status.REJECTED,
    ),
    Submission.Status.DONE: (),
    Submission.Status.REJECTED: (),
}


class DefinitionRefused(Exception):  # noqa: N818 (reads as what happened)
    """A definition file that is not a good form; ``problems`` name each place (JSON path)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class VersionFrozen(Exception):  # noqa: N818
    """A published version never changes."""


@transaction.atomic
def form_import(*, town: Municipality, raw: bytes | str, actor: Actor) -> FormVersion:
    """A definition file as a new draft version of its form (the form is made if new).

    A draft of the form not yet published is replaced instead: a published version is
    never touched. Raises ``DefinitionRefused`` with every problem of a bad file.
    """
    definition, problems = definition_parse(raw)
    if definition is None:
        raise DefinitionRefused(problems)
    form, created = Form.objects.select_for_update().get_or_create(
        slug=definition["slug"], defaults={"title": text_in(definition["title"], "de")}
    )
    latest = form.versions.order_by("-number").first()
    if latest is not None and not latest.is_published:
        latest.definition = definition
        latest.save(update_fields=["definition"])
        version = latest
    else:
        version = FormVersion.objects.create(
            form=form, number=(latest.number + 1) if latest else 1, definition=definition
        )
    audit_record(
        town=town,
        actor=actor,
        action="applications.form.upload",
        target=form.slug,
        after={"version": version.number, "new_form": created},
    )
    return version


def version_update(*, version: FormVersion, definition: dict[str, Any]) -> FormVersion:
    """Replaces a draft's definition; a published version refuses (``VersionFrozen``)."""
    if FormVersion.objects.filter(pk=version.pk, published_at__isnull=False).exists():
        raise VersionFrozen(str(version))
    version.definition = definition
    version.save(update_fields=["definition"])
    return version


@transaction.atomic
def version_publish(*, town: Municipality, version: FormVersion, actor: Actor) -> FormVersion:
    """Freezes ``version`` and makes it what citizens fill in from now on.

    Applications begun or sent with an older version keep theirs.
    """
    version = FormVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    version.published_at = timezone.now()
    version.save(update_fields=["published_at"])
    form = version.form
    form.live_version = version
    form.title = text_in(version.definition["title"], "de")
    form.save(update_fields=["live_version", "title"])
    audit_record(
        town=town,
        actor=actor,
        action="applications.form.publish",
        target=form.slug,
        after={"version": version.number},
    )
    return version


def _next_reference() -> str:
    """ "A-2026-000123": the town's next case number of this year (never twice)."""
    year, number = year_counter_next(CaseCounter)
    return f"A-{year}-{number:06d}"


@transaction.atomic
def submission_create(
    *, version: FormVersion, answers: dict[str, Any], user: User | None
) -> Submission:
    """Stores a sent application with its version and queues the receipt e-mail."""
    definition = version.definition
    email = ""
    status = Submission.Status.RECEIVED
    if fee_due(definition=definition, answers=answers) is not None:
        status = Submission.Status.AWAITING_PAYMENT
    if key := definition.get("receipt_email"):
        email = str(answers.get(key) or "")
    if not email and user is not None:
        email = user.email
    applicant = ""
    if key := definition.get("applicant_name"):
        applicant = str(answers.get(key) or "")[:200]
    elif user is not None:
        applicant = user.get_full_name()[:200]
    submission = Submission.objects.create(
        reference=_next_reference(),
        form=version.form,
        version=version,
        answers=answers,
        user=user,
        email=email,
        status=status,
        applicant_name=applicant,
        language=(get_language() or settings.LANGUAGE_CODE)[:2],
    )
    if email:
        message_enqueue(
            key=f"{RECEIPT}:{submission.reference}",
            kind=RECEIPT,
            address=email,
            recipient=user,
            context={"submission": submission.pk},
            language=submission.language,
        )
    return submission


class TransitionRefused(Exception):  # noqa: N818
    """A status the case cannot go to from where it is."""


@transaction.atomic
def case_status_change(
    *, town: Municipality, submission: Submission, status: str, actor: Actor
) -> Submission:
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if status not in TRANSITIONS[submission.status]:
        raise TransitionRefused(f"{submission.status} -> {status}")
    before = submission.status
    submission.status = status
    submission.status_changed_at = timezone.now()
    submission.save(update_fields=["status", "status_changed_at"])
    audit_record(
        town=town,
        actor=actor,
        action="applications.case.status",
        target=submission.reference,
        before=before,
        after=status,
    )
    return submission


# How long a saved application can be resumed by its link.
DRAFT_DAYS = 30


class DraftLinkExpired(Exception):  # noqa: N818
    """A draft's link older than ``DRAFT_DAYS`` (or its draft was removed since)."""


class DraftLinkInvalid(Exception):  # noqa: N818
    """A link that is no draft link of this town (tampered, or made on another town)."""


def _draft_salt() -> str:
    # The town's schema is part of the signature: a link made on one town is
    # no valid link on another (and its draft lives in the other town's schema).
    return f"applications.draft:{current_town().schema_name}"


def draft_save(
    *,
    version: FormVersion,
    answers: dict[str, Any],
    done: list[int],
    user: User | None,
    draft_pk: int | None = None,
) -> Draft:
    """Stores an application to finish later (updating the one saved before, if any)."""
    expires_at = timezone.now() + dt.timedelta(days=DRAFT_DAYS)
    draft = Draft.objects.filter(pk=draft_pk, version=version).first() if draft_pk else None
    if draft is None:
        draft = Draft(form=version.form, version=version)
    draft.answers, draft.done, draft.expires_at = answers, done, expires_at
    if user is not None:
        draft.user = user
    draft.save()
    return draft


def draft_token(*, draft: Draft) -> str:
    """The signed part of the draft's link (it says which draft, and when it was made)."""
    return signing.dumps({"draft": draft.pk}, salt=_draft_salt(), compress=True)


def draft_from_token(*, token: str) -> Draft:
    """The draft a link points to; ``DraftLinkExpired`` or ``DraftLinkInvalid`` if none."""
    try:
        payload = signing.loads(token, salt=_draft_salt(), max_age=dt.timedelta(days=DRAFT_DAYS))
    except signing.SignatureExpired:
        raise DraftLinkExpired(token) from None
    except signing.BadSignature:
        raise DraftLinkInvalid(token) from None
    draft = (
        Draft.objects.filter(pk=payload.get("draft"), expires_at__gt=timezone.now())
        .select_related("form", "version")
        .first()
    )
    if draft is None:
        raise DraftLinkExpired(token)
    return draft


def draft_delete(*, draft_pk: int | None) -> None:
    if draft_pk:
        Draft.objects.filter(pk=draft_pk).delete()


def uploads_store(*, files: list[UploadedFile]) -> list[dict[str, Any]]:
    """Keeps checked uploads in the town's private storage; the answer that names them.

    Only called for files that passed their field's checks (type by content, size,
    count): a refused file is never stored.
    """
    stored = []
    for upload in files:
        name = get_valid_filename(upload.name or "datei") or "datei"
        kept = private_file_save(name=f"applications/{uuid.uuid4().hex}/{name}", content=upload)
        stored.append(
            {
                "name": upload.name,
                "file": kept.name,
                "size": kept.size,
                "sha256": kept.sha256,
                "type": upload.content_type,
            }
        )
    return stored
