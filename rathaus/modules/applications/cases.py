"""Working a case: ask the citizen back (Rückfrage), their answer, assignment, internal
notes and the decision. Every staff action writes its audit row in the same transaction;
what the citizen must know goes out "to the person" through the outbox (the mailbox
when the town has it and the person chose it, else e-mail).
"""

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.persons import person_message_enqueue
from rathaus.platform.messaging.services import message_enqueue
from rathaus.platform.storage.private import private_file_save
from rathaus.tenants.models import Municipality
from rathaus.tenants.signing import BadToken, town_dumps, town_loads

from .models import CaseEvent, Submission
from .services import uploads_store

Status = Submission.Status
QUERY_MAILBOX = "applications.query.mailbox"
QUERY_EMAIL = "applications.query.email"
DECISION_MAILBOX = "applications.decision.mailbox"
DECISION_EMAIL = "applications.decision.email"
# The assigned clerk hears that the citizen answered.
ANSWERED_EMAIL = "applications.answered.email"
# A question may be asked while the case is open (received or being worked on).
ASKABLE = (Status.RECEIVED, Status.IN_PROGRESS)
DECIDABLE = (Status.RECEIVED, Status.IN_PROGRESS, Status.QUERY)
# Who answered a Rückfrage, in the audit log (the citizen's name stays in the case).
CITIZEN = Actor.system("applicant")


class CaseActionRefused(Exception):  # noqa: N818 (reads as what happened)
    """The case is not where this action can be done (e.g. no open Rückfrage to answer)."""


def _locked(submission: Submission) -> Submission:
    return Submission.objects.select_for_update().get(pk=submission.pk)


def _status_set(submission: Submission, status: str) -> None:
    submission.status = status
    submission.status_changed_at = timezone.now()
    submission.save(update_fields=["status", "status_changed_at"])


def citizen_tell(
    *, submission: Submission, event: CaseEvent, key: str, mailbox_kind: str, email_kind: str
) -> str:
    """Sends ``submission``'s citizen a message: to the account (mailbox first, then its
    e-mail), else to the address the receipt went to. Returns the channel, "" if none.

    ``key`` makes it idempotent: telling twice sends once.
    """
    context = {"submission": submission.pk, "event": event.pk}
    if submission.user is not None:
        delivery = person_message_enqueue(
            key=key,
            recipient=submission.user,
            kinds_by_channel={"mailbox": mailbox_kind, "email": email_kind},
            context=context,
            language=submission.language or None,
        )
        if not delivery.letter_needed:
            return delivery.channel
    if submission.email:
        message_enqueue(
            key=key,
            kind=email_kind,
            address=submission.email,
            recipient=submission.user,
            context=context,
            language=submission.language or None,
        )
        return "email"
    return ""


@transaction.atomic
def case_query_ask(
    *, town: Municipality, submission: Submission, text: str, author: User, actor: Actor
) -> CaseEvent:
    """Asks the citizen a question: the case waits for their answer (status "Rückfrage")
    and they are told."""
    submission = _locked(submission)
    if submission.status not in ASKABLE:
        raise CaseActionRefused(submission.status)
    before = submission.status
    event = CaseEvent.objects.create(
        submission=submission, kind=CaseEvent.Kind.QUERY, text=text.strip(), author=author
    )
    _status_set(submission, Status.QUERY)
    audit_record(
        town=town,
        actor=actor,
        action="applications.case.query",
        target=submission.reference,
        before=before,
        after=Status.QUERY,
    )
    citizen_tell(
        submission=submission,
        event=event,
        key=f"applications.query:{submission.reference}:{event.pk}",
        mailbox_kind=QUERY_MAILBOX,
        email_kind=QUERY_EMAIL,
    )
    return event


def open_query(*, submission: Submission) -> CaseEvent | None:
    """The Rückfrage the citizen still has to answer, if the case waits for one."""
    if submission.status != Status.QUERY:
        return None
    return submission.events.filter(kind=CaseEvent.Kind.QUERY).order_by("-pk").first()


@transaction.atomic
def case_query_answer(
    *,
    town: Municipality,
    submission: Submission,
    text: str,
    files: list[UploadedFile],
    user: User | None,
) -> CaseEvent:
    """The citizen's answer to the open Rückfrage, with documents already checked like the
    form's uploads; the case goes back to "in Bearbeitung"."""
    submission = _locked(submission)
    if submission.status != Status.QUERY:
        raise CaseActionRefused(submission.status)
    event = CaseEvent.objects.create(
        submission=submission,
        kind=CaseEvent.Kind.ANSWER,
        text=text.strip(),
        files=uploads_store(files=files),
        author=user,
    )
    _status_set(submission, Status.IN_PROGRESS)
    if submission.assignee is not None and submission.assignee.is_active:
        message_enqueue(
            key=f"applications.answered:{submission.reference}:{event.pk}",
            kind=ANSWERED_EMAIL,
            address=submission.assignee.email,
            recipient=submission.assignee,
            context={"submission": submission.pk, "event": event.pk},
            language="de",
        )
    audit_record(
        town=town,
        actor=CITIZEN,
        action="applications.case.answer",
        target=submission.reference,
        before=Status.QUERY,
        after={"status": Status.IN_PROGRESS, "files": len(event.files)},
    )
    return event


@transaction.atomic
def case_assign(
    *, town: Municipality, submission: Submission, assignee: User | None, actor: Actor
) -> Submission:
    """Gives the case to ``assignee`` (``None``: to no one)."""
    submission = _locked(submission)
    before = submission.assignee.email if submission.assignee else ""
    submission.assignee = assignee
    submission.save(update_fields=["assignee"])
    audit_record(
        town=town,
        actor=actor,
        action="applications.case.assign",
        target=submission.reference,
        before=before,
        after=assignee.email if assignee else "",
    )
    return submission


@transaction.atomic
def case_note_add(
    *, town: Municipality, submission: Submission, text: str, author: User, actor: Actor
) -> CaseEvent:
    """An internal note on the case; the citizen never sees it."""
    event = CaseEvent.objects.create(
        submission=submission, kind=CaseEvent.Kind.NOTE, text=text.strip(), author=author
    )
    audit_record(
        town=town, actor=actor, action="applications.case.note", target=submission.reference
    )
    return event


@transaction.atomic
def case_decide(
    *,
    town: Municipality,
    submission: Submission,
    status: str,
    text: str,
    document: UploadedFile | None,
    author: User,
    actor: Actor,
) -> CaseEvent:
    """Closes (``done``) or declines (``rejected``) the case with a decision document: the
    uploaded PDF, or one made from ``text``. The citizen gets it "to the person" and finds
    it under "Meine Anträge"."""
    from .pdf import decision_pdf

    submission = _locked(submission)
    if status not in (Status.DONE, Status.REJECTED) or submission.status not in DECIDABLE:
        raise CaseActionRefused(f"{submission.status} -> {status}")
    before = submission.status
    filename = f"bescheid-{submission.reference}.pdf"
    if document is not None:
        files = uploads_store(files=[document])
        files[0]["name"] = document.name or filename
    else:
        content = decision_pdf(town=town, submission=submission, text=text, status=status)
        kept = private_file_save(
            name=f"applications/{uuid.uuid4().hex}/{filename}", content=content
        )
        files = [
            {
                "name": filename,
                "file": kept.name,
                "size": kept.size,
                "sha256": kept.sha256,
                "type": "application/pdf",
            }
        ]
    event = CaseEvent.objects.create(
        submission=submission,
        kind=CaseEvent.Kind.DECISION,
        text=text.strip(),
        files=files,
        author=author,
    )
    _status_set(submission, status)
    audit_record(
        town=town,
        actor=actor,
        action="applications.case.decision",
        target=submission.reference,
        before=before,
        after=status,
    )
    citizen_tell(
        submission=submission,
        event=event,
        key=f"applications.decision:{submission.reference}:{event.pk}",
        mailbox_kind=DECISION_MAILBOX,
        email_kind=DECISION_EMAIL,
    )
    return event


# A guest's case (sent without an account) is reached by a signed link in the e-mails.
GUEST_SALT = "applications.case"
GUEST_LINK_DAYS = 90


def guest_token(*, submission: Submission) -> str:
    """The signed part of a guest's link to their case (this town only)."""
    return town_dumps({"case": submission.reference}, salt=GUEST_SALT)


def guest_case(*, token: str) -> Submission:
    """The guest's case a link points to. Raises ``ExpiredToken`` for an old link and
    ``BadToken`` for a wrong one, one of another town, or a case sent from an account
    (its owner logs in instead)."""
    payload = town_loads(token, salt=GUEST_SALT, max_age=GUEST_LINK_DAYS * 24 * 3600)
    reference = payload.get("case") if isinstance(payload, dict) else None
    found = (
        Submission.objects.select_related("form", "version")
        .filter(reference=str(reference), user__isnull=True)
        .exclude(answers={})
        .first()
    )
    if found is None:
        raise BadToken("no guest case")
    return found
