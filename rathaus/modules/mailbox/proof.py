"""When a message counts as delivered (Bekanntgabe), and the appeal deadline that follows.

Two rules, kept on each message (``Message.delivery_rule``) so a message is
judged by the rule it was provided under:

``provision`` (§ 41 Abs. 2a VwVfG, § 9 Abs. 1 OZG, as in force since 2025)
    A notice provided for retrieval counts as made known on the fourth day after
    its provision, whether it was opened or not. A day that is a Saturday, a
    Sunday or a public holiday of the town's Land moves it to the next working
    day (as § 108 Abs. 3 AO and the courts hold for the fiction of delivery).
``retrieval`` (§ 41 Abs. 2a VwVfG, former wording)
    It counts as made known on the day after the owner first retrieved it; not
    retrieved within ten days of the notification, it is not delivered at all
    and goes by letter instead (``FALLBACK_DAYS``).

The appeal deadline (Widerspruchs- or Klagefrist, § 70 VwGO, § 74 VwGO) is one
month from that day (§ 187 Abs. 1, § 188 Abs. 2 and 3 BGB: the day of the next
month with the same number, or that month's last day) and ends on the next
working day of the Land if it falls on a weekend or public holiday (§ 31 Abs. 3
VwVfG, § 57 VwGO with § 222 ZPO).
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from rathaus.platform.holidays import working_day_on_or_after
from rathaus.tenants.models import FederalState

PROVISION, RETRIEVAL = "provision", "retrieval"
PROVISION_DAYS = 4
FALLBACK_DAYS = 10


@dataclass(frozen=True)
class Delivery:
    """What the rule says of a message now: made known on ``deemed_on`` (or not yet, or
    never: ``fell_back``), and the deadline for an appeal that follows from it."""

    rule: str
    deemed_on: dt.date | None
    appeal_until: dt.date | None
    fell_back: bool = False
    fallback_due_on: dt.date | None = None


def appeal_deadline(*, state: FederalState, made_known_on: dt.date) -> dt.date:
    """One month after ``made_known_on``, moved to the next working day of ``state``."""
    return working_day_on_or_after(state=state, day=made_known_on + relativedelta(months=1))


def delivery_judge(
    *,
    rule: str,
    state: FederalState,
    provided_at: dt.datetime,
    first_opened_at: dt.datetime | None,
    notified_at: dt.datetime | None,
    today: dt.date | None = None,
) -> Delivery:
    """What ``rule`` says of a message provided at ``provided_at`` (see the module docstring)."""
    today = today or timezone.localdate()
    if rule == PROVISION:
        provided_on = timezone.localtime(provided_at).date()
        deemed = working_day_on_or_after(
            state=state, day=provided_on + dt.timedelta(days=PROVISION_DAYS)
        )
        return Delivery(
            rule=rule,
            deemed_on=deemed,
            appeal_until=appeal_deadline(state=state, made_known_on=deemed),
        )
    if rule == RETRIEVAL:
        start = timezone.localtime(notified_at or provided_at).date()
        fallback_due = start + dt.timedelta(days=FALLBACK_DAYS)
        if first_opened_at is not None:
            opened_on = timezone.localtime(first_opened_at).date()
            if opened_on <= fallback_due:
                deemed = opened_on + dt.timedelta(days=1)
                return Delivery(
                    rule=rule,
                    deemed_on=deemed,
                    appeal_until=appeal_deadline(state=state, made_known_on=deemed),
                    fallback_due_on=fallback_due,
                )
        return Delivery(
            rule=rule,
            deemed_on=None,
            appeal_until=None,
            fell_back=today > fallback_due,
            fallback_due_on=fallback_due,
        )
    return Delivery(rule=rule, deemed_on=None, appeal_until=None)
