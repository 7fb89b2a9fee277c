"""Dunning: an unpaid invoice past its due date walks a town through past due, read-only, suspended.

The town's state follows from what billing knows, worked out again whenever an
event arrives and once an hour (beat: ``billing.dunning_advance``):

- *good*: nothing overdue;
- *past_due*: an open invoice is past its due date, a debit failed, or Stripe
  says the subscription is ``past_due``/``unpaid`` (a banner for the town's staff);
- *read_only*: still so ``read_only_after_days`` after it began (staff may look,
  not change);
- *suspended*: still so ``suspend_after_days`` after it began (the back office
  shows only the billing page).

Citizens are never cut off by dunning: their pages, bookings and running notice
batches go on in every state; only the town's staff are held back. Paying lifts
it all at once (the next event, or the next hourly run, finds nothing overdue).
Each change of state is audited in the town's log and e-mailed to its admins.
"""

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tenants.utils import schema_context

from rathaus.billing.models import BillingAccount, DunningState, Invoice
from rathaus.platform.audit.services import Actor, audit_record
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)

DUNNING_ACTOR = Actor.system("billing")
DUNNING_MAIL = "billing.dunning"
OVERDUE_STATUSES = ("past_due", "unpaid")
STEPS: list[str] = [
    DunningState.GOOD,
    DunningState.PAST_DUE,
    DunningState.READ_ONLY,
    DunningState.SUSPENDED,
]


def _overdue_since(*, account: BillingAccount, now: dt.datetime) -> dt.datetime | None:
    """Since when the town is overdue (the earliest due date passed), or None if it is not."""
    unpaid = Invoice.objects.filter(account=account, status="open").filter(
        Q(due_date__lt=now) | Q(payment_failed=True)
    )
    if not unpaid.exists() and account.subscription_status not in OVERDUE_STATUSES:
        return None
    due = [d for d in unpaid.values_list("due_date", flat=True) if d is not None]
    return min([*due, now])


def _state_for(*, account: BillingAccount, since: dt.datetime, now: dt.datetime) -> str:
    days = (now - since) / dt.timedelta(days=1)
    if days >= account.suspend_after_days:
        return DunningState.SUSPENDED
    if days >= account.read_only_after_days:
        return DunningState.READ_ONLY
    return DunningState.PAST_DUE


def billing_dunning_update(*, town: Municipality, now: dt.datetime | None = None) -> str:
    """Works out the town's dunning state as of ``now``; audits and e-mails a change.

    Idempotent: the same facts at the same time give the same state and write
    nothing. ``past_due_since`` is the earliest due date passed when the town was
    first found overdue (or then, for a failed debit; cleared when it paid), so
    the grace periods count from there.
    """
    now = now or timezone.now()
    with transaction.atomic():
        account = BillingAccount.objects.select_for_update().filter(town=town).first()
        if account is None:
            return DunningState.GOOD
        before = account.dunning_state
        overdue_since = _overdue_since(account=account, now=now)
        if overdue_since is not None:
            since = account.past_due_since or overdue_since
            # Never back a step while still overdue: a grace period that ran out stays so.
            state = max(_state_for(account=account, since=since, now=now), before, key=STEPS.index)
        else:
            since, state = None, DunningState.GOOD
        if state == before and since == account.past_due_since:
            return state
        account.dunning_state, account.past_due_since = state, since
        account.save(update_fields=["dunning_state", "past_due_since", "updated"])
        if state != before:
            _announce(town=town, account=account, before=before, after=state, now=now)
    return state


def _announce(
    *, town: Municipality, account: BillingAccount, before: str, after: str, now: dt.datetime
) -> None:
    """The town's audit entry and an e-mail to each of its admins (sent after the commit)."""
    from rathaus.platform.messaging.services import message_enqueue
    from rathaus.platform.staff.models import TOWN_ADMIN, StaffRole

    audit_record(
        town=town, actor=DUNNING_ACTOR, action="billing.dunning", before=before, after=after
    )
    with schema_context(town.schema_name):
        admins = StaffRole.objects.filter(role=TOWN_ADMIN).select_related("user")
        for role in admins:
            message_enqueue(
                key=f"billing-dunning-{account.pk}-{after}-{now:%Y%m%d%H%M%S}-{role.user_id}",
                kind=DUNNING_MAIL,
                address=role.user.email,
                recipient=role.user,
                context={"state": after, "before": before},
            )
    logger.info("Dunning of %s: %s -> %s", town.ags, before, after)


def billing_dunning_advance(*, now: dt.datetime | None = None) -> int:
    """Works out every town's state that is, or may just have become, overdue; returns changes."""
    now = now or timezone.now()
    candidates = (
        BillingAccount.objects.select_related("town")
        .filter(
            Q(past_due_since__isnull=False)
            | Q(subscription_status__in=OVERDUE_STATUSES)
            | Q(invoices__status="open", invoices__due_date__lt=now)
            | Q(invoices__status="open", invoices__payment_failed=True)
        )
        .distinct()
    )
    changed = 0
    for account in candidates:
        before = account.dunning_state
        if billing_dunning_update(town=account.town, now=now) != before:
            changed += 1
    return changed
