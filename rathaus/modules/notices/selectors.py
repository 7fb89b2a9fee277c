"""Reads of bulk notices: the split and postage of a run, its progress and its report."""

import uuid
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from rathaus.platform.messaging.models import OutboxMessage

from .models import PrintJob, Recipient, Run, Template


def postage_per_letter() -> Decimal:
    """The postage of one standard letter (``NOTICES_POSTAGE``, in euros)."""
    return Decimal(str(getattr(settings, "NOTICES_POSTAGE", "0.95")))


@dataclass(frozen=True)
class Split:
    mailbox: int
    print: int
    preflight_failed: int
    postage: Decimal

    @property
    def total(self) -> int:
        return self.mailbox + self.print


def run_split(*, run: Run) -> Split:
    counts = run.recipients.aggregate(
        mailbox=Count("pk", filter=Q(route=Recipient.Route.MAILBOX)),
        print=Count("pk", filter=Q(route=Recipient.Route.PRINT)),
        failed=Count("pk", filter=~Q(preflight=[])),
    )
    return Split(
        mailbox=counts["mailbox"],
        print=counts["print"],
        preflight_failed=counts["failed"],
        postage=postage_per_letter() * counts["print"],
    )


def run_find(*, public_id: uuid.UUID | str) -> Run | None:
    return (
        Run.objects.select_related("template", "uploaded_by", "released_by")
        .filter(public_id=public_id)
        .first()
    )


def runs_recent() -> QuerySet[Run]:
    return Run.objects.select_related("template")[:50]


def templates_all() -> QuerySet[Template]:
    return Template.objects.all()


def preflight_failures(*, run: Run, limit: int = 200) -> QuerySet[Recipient]:
    return run.recipients.exclude(preflight=[]).order_by("line")[:limit]


@dataclass(frozen=True)
class Progress:
    total: int
    handed_over: int
    mailbox: int
    printed: int
    failed: int
    state: str

    @property
    def done(self) -> int:
        return self.mailbox + self.printed + self.failed

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100

    def as_json(self) -> dict[str, object]:
        return {
            "total": self.total,
            "handed_over": self.handed_over,
            "mailbox": self.mailbox,
            "print": self.printed,
            "failed": self.failed,
            "done": self.done,
            "percent": self.percent,
            "state": self.state,
        }


def run_progress(*, run: Run) -> Progress:
    counts = Counter(
        {
            (channel, state): n
            for channel, state, n in OutboxMessage.objects.filter(group=run.group)
            .values_list("channel", "state")
            .annotate(n=Count("pk"))
        }
    )
    failed_states = (
        OutboxMessage.State.FAILED,
        OutboxMessage.State.SKIPPED,
        OutboxMessage.State.UNCONFIRMED,
    )
    return Progress(
        total=run.recipients.count(),
        handed_over=run.recipients.filter(state=Recipient.State.HANDED_OVER).count(),
        mailbox=counts[("mailbox", OutboxMessage.State.SENT)],
        printed=counts[("letter", OutboxMessage.State.SENT)],
        failed=sum(n for (_channel, state), n in counts.items() if state in failed_states),
        state=run.state,
    )


@dataclass(frozen=True)
class ReportLine:
    line: int
    recipient_key: str
    name: str
    route: str
    outcome: str
    reason: str
    partner_id: str
    posted_on: str


def run_report(*, run: Run) -> list[ReportLine]:
    """Every recipient with what became of its notice: mailbox, print, failed (why), open."""
    recipients = list(run.recipients.order_by("line"))
    keys = [r.idempotency_key for r in recipients]
    outbox = {
        row["key"]: row
        for row in OutboxMessage.objects.filter(key__in=keys).values(
            "key", "channel", "state", "error"
        )
    }
    jobs = {job.key: job for job in PrintJob.objects.filter(key__in=keys)}
    lines = []
    for recipient in recipients:
        row = outbox.get(recipient.idempotency_key)
        job = jobs.get(recipient.idempotency_key)
        if row is None:
            outcome, reason = "waiting", ""
        elif row["state"] == OutboxMessage.State.SENT:
            outcome, reason = ("mailbox" if row["channel"] == "mailbox" else "print"), ""
        elif row["state"] in OutboxMessage.DONE:
            outcome, reason = "failed", row["error"] or row["state"]
        else:
            outcome, reason = "waiting", row["error"]
        lines.append(
            ReportLine(
                line=recipient.line,
                recipient_key=recipient.recipient_key,
                name=recipient.name,
                route=recipient.route,
                outcome=outcome,
                reason=reason,
                partner_id=job.partner_id if job else "",
                posted_on=job.posted_on.isoformat() if job and job.posted_on else "",
            )
        )
    return lines
