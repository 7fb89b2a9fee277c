"""Writes of bulk notices: templates, a run from a checked file, release, pause, the drive.

A run starts from a file checked whole (``datafile.file_check``): a file with any
problem stores nothing. Each row becomes a ``Recipient`` routed to the mailbox
(its key is the e-mail address of an account the outbox's ``mailbox`` channel
reaches: the module on and consent to electronic delivery) or to print, with a
preflight of its letter. A second staff member releases it (four-eyes); then
``run_drive`` hands the recipients to the outbox in chunks, each chunk claimed
by a conditional ``UPDATE`` in the transaction that writes its outbox rows. The
outbox key is the recipient's idempotency key (unique), so a chunk repeated after
a crash adds nothing, and the outbox delivers each row once.
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import channels
from rathaus.platform.messaging.services import NewMessage, messages_enqueue_many
from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality

from .datafile import Checked, Problem, Row, file_check
from .letters import Letterhead, layout_problems, letter_layout
from .models import Recipient, Run, Template
from .render import letter_build, letterhead_for, placeholder_values, template_placeholders

MAILBOX_KIND = "notices.notice.mailbox"
LETTER_KIND = "notices.notice.letter"
CHUNK = 100


class NoticesError(Exception):
    """What a clerk asked for cannot be done; the message says why."""


def template_save(
    *, town: Municipality, actor: Actor, template: Template, values: dict[str, str]
) -> Template:
    """Saves a template's fields (new or changed), audited in the same transaction."""
    with transaction.atomic():
        for name, value in values.items():
            setattr(template, name, value)
        creating = template.pk is None
        template.save()
        audit_record(
            town=town,
            actor=actor,
            action="notices.template.create" if creating else "notices.template.change",
            target=template.name,
            after=values,
        )
    return template


@dataclass
class Upload:
    """The result of an upload: a run, or the problems that kept it from starting."""

    run: Run | None = None
    problems: list[Problem] = field(default_factory=list)


def _mailbox_accounts(keys: Sequence[str], *, town: Municipality) -> dict[str, User]:
    """The accounts the outbox's mailbox channel reaches, by lower-case e-mail address."""
    channel = channels.get("mailbox")
    if channel is None or not channel.is_available(town=town):
        return {}
    wanted = {key.lower() for key in keys if "@" in key}
    found: dict[str, User] = {}
    for user in User.objects.filter(email__in=list(wanted) + [key for key in keys if "@" in key]):
        if channel.address_for(town=town, recipient=user):
            found[user.email.lower()] = user
    return found


def run_upload(
    *,
    town: Municipality,
    actor: Actor,
    uploaded_by: User | None,
    template: Template,
    filename: str,
    content: bytes,
) -> Upload:
    """Checks the whole file; if it has no problem, stores the run with its recipients,
    each routed and its letter preflighted. With any problem nothing is stored."""
    checked: Checked = file_check(
        filename=filename,
        content=content,
        needed=[name for name in template_placeholders(template) if name not in ("schluessel",)],
    )
    if not checked.ok:
        return Upload(problems=checked.problems)
    accounts = _mailbox_accounts([row.recipient_key for row in checked.rows], town=town)
    head = letterhead_for(template)
    with transaction.atomic():
        run = Run.objects.create(
            template=template, filename=filename[:200], uploaded_by=uploaded_by
        )
        Recipient.objects.bulk_create(
            [_recipient(run, row, accounts.get(row.recipient_key.lower())) for row in checked.rows],
            batch_size=1000,
        )
        failing = _preflight_print(run=run, template=template, head=head)
        audit_record(
            town=town,
            actor=actor,
            action="notices.run.upload",
            target=str(run.public_id),
            after={"file": run.filename, "rows": len(checked.rows), "preflight_failed": failing},
        )
    return Upload(run=run)


def _recipient(run: Run, row: Row, account: User | None) -> Recipient:
    return Recipient(
        run=run,
        line=row.line,
        recipient_key=row.recipient_key,
        name=row.name,
        street=row.street,
        postcode=row.postcode,
        city=row.city,
        values=row.values,
        route=Recipient.Route.MAILBOX if account else Recipient.Route.PRINT,
        account=account,
        # Short enough for a print partner's Idempotency-Key header (at most 64 characters).
        idempotency_key=f"notices:{uuid.uuid5(run.public_id, row.recipient_key).hex}",
    )


def _preflight_print(*, run: Run, template: Template, head: Letterhead) -> int:
    """Lays out every letter for print as it will be rendered and keeps what the preflight
    found; returns how many failed. (The file itself, one A4 portrait page, is checked
    again when the letter is handed to print: ``channel.LetterSession``.)"""
    failing: list[Recipient] = []
    for recipient in run.recipients.filter(route=Recipient.Route.PRINT).iterator(chunk_size=500):
        letter = letter_build(
            template=template,
            address=recipient.address_lines,
            values=placeholder_values(
                name=recipient.name, recipient_key=recipient.recipient_key, values=recipient.values
            ),
            reference=recipient.recipient_key,
        )
        problems = layout_problems(letter_layout(head=head, letter=letter))
        if problems:
            recipient.preflight = problems
            failing.append(recipient)
    Recipient.objects.bulk_update(failing, ["preflight"], batch_size=500)
    return len(failing)


def run_release(*, town: Municipality, actor: Actor, run: Run, released_by: User) -> Run:
    """A second staff member releases a checked run; then it starts in the background.

    Raises ``NoticesError`` when the one who uploaded it releases it, when it is no
    longer waiting for release, or when a letter failed its preflight.
    """
    if run.uploaded_by_id == released_by.pk:
        raise NoticesError(
            _("Freigeben muss eine zweite Person: Sie haben die Datei selbst hochgeladen.")
        )
    if run.recipients.exclude(preflight=[]).exists():
        raise NoticesError(
            _("Briefe haben die Druckprüfung nicht bestanden; bitte korrigieren Sie die Datei.")
        )
    with transaction.atomic():
        changed = Run.objects.filter(pk=run.pk, state=Run.State.CHECKED).update(
            state=Run.State.RELEASED, released_by=released_by, released_at=timezone.now()
        )
        if not changed:
            raise NoticesError(_("Dieser Versandlauf wartet nicht (mehr) auf Freigabe."))
        audit_record(
            town=town, actor=actor, action="notices.run.release", target=str(run.public_id)
        )
        _drive_on_commit(run)
    run.refresh_from_db()
    return run


def _drive_on_commit(run: Run) -> None:
    from .tasks import drive

    transaction.on_commit(lambda: drive.delay(run.pk))


def run_pause(*, town: Municipality, actor: Actor, run: Run) -> Run:
    """Stops handing recipients over (what the outbox has goes on); resumable."""
    with transaction.atomic():
        if Run.objects.filter(pk=run.pk, state=Run.State.RELEASED).update(state=Run.State.PAUSED):
            audit_record(
                town=town, actor=actor, action="notices.run.pause", target=str(run.public_id)
            )
    run.refresh_from_db()
    return run


def run_resume(*, town: Municipality, actor: Actor, run: Run) -> Run:
    """Goes on with a paused run where it stopped."""
    with transaction.atomic():
        if Run.objects.filter(pk=run.pk, state=Run.State.PAUSED).update(state=Run.State.RELEASED):
            audit_record(
                town=town, actor=actor, action="notices.run.resume", target=str(run.public_id)
            )
            _drive_on_commit(run)
    run.refresh_from_db()
    return run


def run_drive(*, run_id: int, claim: str, chunk: int = CHUNK) -> int:
    """Hands the waiting recipients of a released run to the outbox, a chunk at a time, until
    none is left or the run is paused; returns how many this call handed over.

    Each chunk is claimed (``state`` waiting -> handed over, only where it is still
    waiting) in the transaction that writes its outbox rows, so a crash loses the
    whole chunk's claim and a second drive never takes the same rows.
    """
    handed = 0
    while True:
        with transaction.atomic():
            run = Run.objects.select_for_update().filter(pk=run_id).first()
            if run is None or run.state != Run.State.RELEASED:
                return handed
            ids = list(
                Recipient.objects.select_for_update(skip_locked=True)
                .filter(run=run, state=Recipient.State.WAITING)
                .order_by("line")
                .values_list("pk", flat=True)[:chunk]
            )
            taken = list(Recipient.objects.filter(pk__in=ids, state=Recipient.State.WAITING))
            Recipient.objects.filter(pk__in=ids, state=Recipient.State.WAITING).update(
                state=Recipient.State.HANDED_OVER, claimed_by=claim
            )
            if not taken:
                return handed
            _enqueue(run, taken)
            handed += len(taken)


def _still_reached(recipients: Sequence[Recipient]) -> list[Recipient]:
    """Those of ``recipients`` routed to the mailbox that it still reaches now.

    Consent is read again at hand-over: who withdrew it (or lost the account) since the
    file was checked gets the notice as a letter, under the same idempotency key.
    """
    channel = channels.get("mailbox")
    town = current_town()
    routed = [r for r in recipients if r.route == Recipient.Route.MAILBOX and r.account_id]
    if not routed:
        return []
    if channel is None or not channel.is_available(town=town):
        reached: list[Recipient] = []
    else:
        users = User.objects.in_bulk([r.account_id for r in routed])
        reached = [
            r
            for r in routed
            if r.account_id in users
            and channel.address_for(town=town, recipient=users[r.account_id])
        ]
    to_print = [r.pk for r in routed if r not in reached]
    if to_print:
        Recipient.objects.filter(pk__in=to_print).update(route=Recipient.Route.PRINT)
    return reached


def _enqueue(run: Run, recipients: Sequence[Recipient]) -> None:
    mailbox = _still_reached(recipients)
    letters = [r for r in recipients if r not in mailbox]
    if mailbox:
        messages_enqueue_many(
            kind=MAILBOX_KIND,
            group=run.group,
            messages=[
                NewMessage(
                    key=r.idempotency_key,
                    address=str(r.account_id),
                    context={"recipient": r.pk},
                    recipient_id=r.account_id,
                )
                for r in mailbox
            ],
        )
    if letters:
        messages_enqueue_many(
            kind=LETTER_KIND,
            group=run.group,
            messages=[
                NewMessage(
                    key=r.idempotency_key,
                    address="\n".join(r.address_lines),
                    context={"recipient": r.pk},
                )
                for r in letters
            ],
        )


def run_finish_if_done(*, run: Run) -> bool:
    """Marks a released run done once every recipient was handed over and the outbox is
    through with each; returns whether it is done."""
    if run.state == Run.State.DONE:
        return True
    if run.state != Run.State.RELEASED:
        return False
    if run.recipients.filter(state=Recipient.State.WAITING).exists():
        return False
    if (
        OutboxMessage.objects.filter(group=run.group)
        .filter(~Q(state__in=OutboxMessage.DONE))
        .exists()
    ):
        return False
    Run.objects.filter(pk=run.pk, state=Run.State.RELEASED).update(
        state=Run.State.DONE, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run.state == Run.State.DONE


def print_jobs_refresh(*, limit: int = 500) -> int:
    """Asks the print partner about letters not posted (or undeliverable) yet and records
    each new status and the posting date; returns how many changed."""
    from .models import PrintJob
    from .printing.registry import PartnerUnavailable, partners

    changed = 0
    open_jobs = PrintJob.objects.filter(
        status__in=[PrintJob.Status.ACCEPTED, PrintJob.Status.PRINTING]
    ).order_by("checked_at", "pk")[:limit]
    for job in open_jobs:
        partner = partners.get(job.partner)
        if partner is None:
            continue
        try:
            found = partner.status(partner_id=job.partner_id)
        except PartnerUnavailable:
            break
        updates: dict[str, object] = {"checked_at": timezone.now()}
        if found.status != job.status or found.posted_on != job.posted_on:
            updates.update(status=found.status, posted_on=found.posted_on)
            changed += 1
        PrintJob.objects.filter(pk=job.pk).update(**updates)
    return changed
