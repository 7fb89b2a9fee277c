"""Writes: booking, confirming, moving and cancelling appointments, no-shows, e-mails, reminders.

The capacity rule lives in the database (see ``models.Booking``): a booking
takes a counter by inserting its row; if a concurrent booking took the same
counter first, PostgreSQL rejects the row and the next free counter is tried.
Nothing here counts bookings before inserting and trusts the count.
"""

import datetime as dt
import logging
import random
import time
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality

from .models import Booking, Location, OutgoingMail, Service
from .selectors import Period, Rules, booking_rules, local_zone, opening_plan

logger = logging.getLogger(__name__)

EXCLUSION_VIOLATION = "23P01"
# How long a booking waits for counters others are booking at the same moment.
LOCK_PATIENCE_SECONDS = 5.0


class BookingError(Exception):
    """A booking cannot be made or changed; ``code`` for programs, ``message`` for people."""

    status = 400

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class SlotTakenError(BookingError):
    status = 409


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment, local_zone()), "DATETIME_FORMAT")


def _period_for(
    *,
    town: Municipality,
    service: Service,
    location: Location,
    start: dt.datetime,
    now: dt.datetime,
    rules: Rules,
) -> Period:
    """The opening period ``start`` falls in for ``service``; else ``BookingError``."""
    if not service.is_active or not location.is_active:
        raise BookingError("not_offered", _("Diese Dienstleistung ist derzeit nicht buchbar."))
    if not service.locations.filter(pk=location.pk).exists():
        raise BookingError(
            "not_offered",
            _("„%(service)s“ wird am Standort %(location)s nicht angeboten.")
            % {"service": service.name, "location": location.name},
        )
    if start <= now:
        raise BookingError("past", _("Dieser Termin liegt in der Vergangenheit."))
    if start < rules.earliest(now):
        raise BookingError(
            "too_short_notice",
            _("Termine können frühestens %(minutes)s Minuten im Voraus gebucht werden.")
            % {"minutes": rules.min_notice_minutes},
        )
    day = timezone.localtime(start, local_zone()).date()
    if day > rules.last_day(now):
        raise BookingError(
            "beyond_window",
            _("Termine können höchstens %(days)s Tage im Voraus gebucht werden.")
            % {"days": rules.booking_horizon_days},
        )
    plan = opening_plan(town=town, location=location, start=day, end=day)[0]
    if plan.closed_reason:
        raise BookingError(
            "closed",
            _("Am %(day)s ist %(location)s geschlossen (%(reason)s).")
            % {
                "day": formats.date_format(day, "SHORT_DATE_FORMAT"),
                "location": location.name,
                "reason": plan.closed_reason,
            },
        )
    end = start + dt.timedelta(minutes=service.duration_minutes)
    step = location.slot_minutes * 60
    for period in plan.periods:
        offset = (start - period.opens).total_seconds()
        if period.opens <= start and end <= period.closes and offset % step == 0:
            return period
    raise BookingError(
        "outside_hours",
        _("%(when)s liegt außerhalb der Öffnungszeiten oder nicht im Zeitraster von %(location)s.")
        % {"when": _when(start), "location": location.name},
    )


def _expire_holds(
    *, location: Location, start: dt.datetime, end: dt.datetime, now: dt.datetime
) -> None:
    """Guests' holds that ran out unconfirmed give their counter back."""
    Booking.objects.filter(
        location=location,
        status=Booking.Status.PENDING,
        hold_until__lt=now,
        start__lt=end,
        end__gt=start,
    ).update(status=Booking.Status.EXPIRED)


def _is_exclusion_violation(exc: IntegrityError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == EXCLUSION_VIOLATION


def _lock_key(location: Location) -> str:
    # Advisory locks are database-wide, so the key names the town's schema too.
    return f"{current_schema_name()}:appointments:{location.pk}"


def _counter_lock(*, location: Location, counter: int) -> None:
    """Waits for the transaction-scoped advisory lock of one counter."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [_lock_key(location), counter]
        )


def _lock_one_of(*, location: Location, counters: list[int]) -> int | None:
    """Locks the first of ``counters`` nobody else is booking right now, in one round trip.

    No ORDER BY: with it PostgreSQL would evaluate the filter, and so take the
    lock, for every row before sorting; unnest yields the array in order and
    LIMIT stops at the first lock taken.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c FROM unnest(%s::int[]) AS t(c)"
            " WHERE pg_try_advisory_xact_lock(hashtext(%s), c) LIMIT 1",
            [counters, _lock_key(location)],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _take_counter(*, booking: Booking, period: Period, fields: list[str] | None = None) -> Booking:
    """Saves ``booking`` on a free counter of ``period``; ``SlotTakenError`` when none is free.

    The exclusion constraint is what forbids overbooking. The advisory lock
    per counter only keeps concurrent bookings from queueing on (and
    deadlocking over) the same counter: a booking tries a counter only while
    it holds that counter's lock, so the constraint check never waits for
    another open transaction, and a counter busy with someone else's booking
    is skipped and tried again a moment later. Counters are tried in random
    order so that concurrent bookings of one time spread out.
    """

    def taken() -> set[int]:
        return set(
            Booking.objects.filter(
                location=booking.location,
                status__in=Booking.LIVE,
                start__lt=booking.end,
                end__gt=booking.start,
            )
            .exclude(pk=booking.pk)
            .values_list("counter", flat=True)
        )

    occupied = taken()
    remaining = [c for c in range(1, period.counters + 1) if c not in occupied]
    random.shuffle(remaining)
    deadline = time.monotonic() + LOCK_PATIENCE_SECONDS
    pause = 0.002
    while remaining:
        counter = _lock_one_of(location=booking.location, counters=remaining)
        if counter is None:
            # Others are booking all of these right now; their outcome decides.
            # A counter someone booked meanwhile is dropped, so two bookings
            # holding each other's (already taken) counters never wait forever.
            if time.monotonic() > deadline:
                break
            time.sleep(pause * random.uniform(0.5, 1.5))  # noqa: S311 - jitter, not a secret
            pause = min(pause * 2, 0.05)
            occupied = taken()
            remaining = [c for c in remaining if c not in occupied]
            continue
        remaining.remove(counter)
        booking.counter = counter
        try:
            with transaction.atomic():
                if fields is None:
                    booking.save(force_insert=True)
                else:
                    booking.save(update_fields=[*fields, "counter"])
            return booking
        except IntegrityError as exc:
            if not _is_exclusion_violation(exc):
                raise
    raise SlotTakenError(
        "slot_taken",
        _("Der Termin am %(when)s ist leider schon vergeben. Bitte wählen Sie eine andere Zeit.")
        % {"when": _when(booking.start)},
    )


def _queue_mail(
    *, booking: Booking, kind: str, key: str = "", new: bool = False
) -> OutgoingMail | None:
    """Writes the e-mail with the change; it is sent after the commit, exactly once.

    ``new``: the booking was just created, so the row cannot exist yet (saves round trips).
    """
    if new:
        mail = OutgoingMail.objects.create(booking=booking, kind=kind, key=key)
    else:
        mail, created = OutgoingMail.objects.get_or_create(booking=booking, kind=kind, key=key)
        if not created:
            return None
    from .tasks import deliver_mail

    transaction.on_commit(lambda: deliver_mail.delay(mail.pk))
    return mail


def _open_bookings_of(*, email: str, user: Any, now: dt.datetime) -> int:
    who = Q(email__iexact=email)
    if user is not None:
        who |= Q(user=user)
    return (
        Booking.objects.filter(
            who, status__in=[Booking.Status.PENDING, Booking.Status.CONFIRMED], start__gt=now
        )
        .exclude(status=Booking.Status.PENDING, hold_until__lt=now)
        .count()
    )


@dataclass(frozen=True)
class Citizen:
    name: str
    email: str
    phone: str = ""


def appointment_book(
    *,
    town: Municipality,
    service: Service,
    location: Location,
    start: dt.datetime,
    citizen: Citizen,
    user: Any = None,
    site_url: str = "",
    now: dt.datetime | None = None,
) -> Booking:
    """Books ``service`` at ``location`` for ``start``.

    A logged-in ``user`` gets a confirmed booking at once; a guest's booking
    holds its place for ``guest_hold_minutes`` until confirmed through the
    link in the e-mail. Raises ``BookingError`` (``SlotTakenError`` when every
    counter is taken) with a message that names the problem.
    """
    now = now or timezone.now()
    rules = booking_rules(town=town)
    period = _period_for(
        town=town, service=service, location=location, start=start, now=now, rules=rules
    )
    if _open_bookings_of(email=citizen.email, user=user, now=now) >= rules.max_open_bookings:
        raise BookingError(
            "too_many",
            _("Sie haben schon %(n)s offene Termine. Bitte sagen Sie zuerst einen ab.")
            % {"n": rules.max_open_bookings},
        )
    end = start + dt.timedelta(minutes=service.duration_minutes)
    is_guest = user is None
    booking = Booking(
        service=service,
        location=location,
        start=start,
        end=end,
        user=user,
        name=citizen.name.strip() or (user.get_full_name() if user else ""),
        email=citizen.email.strip().lower(),
        phone=citizen.phone.strip(),
        site_url=site_url,
        status=Booking.Status.PENDING if is_guest else Booking.Status.CONFIRMED,
        hold_until=now + dt.timedelta(minutes=rules.guest_hold_minutes) if is_guest else None,
    )
    with transaction.atomic():
        _expire_holds(location=location, start=start, end=end, now=now)
        _take_counter(booking=booking, period=period)
        _queue_mail(
            booking=booking,
            kind=OutgoingMail.Kind.CONFIRM_REQUEST if is_guest else OutgoingMail.Kind.CONFIRMED,
            key=start.isoformat(),
            new=True,
        )
    return booking


def appointment_confirm(*, booking: Booking, now: dt.datetime | None = None) -> Booking:
    """A guest confirms by e-mail. A run-out hold is revived if its counter is still free."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("service", "location")
            .get(pk=booking.pk)
        )
        if booking.status == Booking.Status.CONFIRMED:
            return booking
        if booking.status not in (Booking.Status.PENDING, Booking.Status.EXPIRED):
            raise BookingError("not_pending", _("Dieser Termin kann nicht mehr bestätigt werden."))
        if booking.start <= now:
            raise BookingError("past", _("Dieser Termin liegt in der Vergangenheit."))
        if booking.status == Booking.Status.EXPIRED:
            _counter_lock(location=booking.location, counter=booking.counter)
        booking.status = Booking.Status.CONFIRMED
        booking.hold_until = None
        try:
            with transaction.atomic():
                booking.save(update_fields=["status", "hold_until", "updated_at"])
        except IntegrityError as exc:
            if not _is_exclusion_violation(exc):
                raise
            raise SlotTakenError(
                "slot_taken",
                _("Ihre Reservierung ist abgelaufen und der Termin inzwischen vergeben."),
            ) from exc
        _queue_mail(
            booking=booking, kind=OutgoingMail.Kind.CONFIRMED, key=booking.start.isoformat()
        )
    return booking


def _changeable(*, booking: Booking, now: dt.datetime, rules: Rules) -> None:
    if booking.status not in (Booking.Status.PENDING, Booking.Status.CONFIRMED):
        raise BookingError(
            "not_changeable", _("Dieser Termin ist bereits storniert oder verfallen.")
        )
    if booking.start - dt.timedelta(minutes=rules.cancel_notice_minutes) <= now:
        raise BookingError(
            "too_late",
            _("Termine können nur bis %(minutes)s Minuten vor Beginn geändert werden.")
            % {"minutes": rules.cancel_notice_minutes},
        )


def appointment_cancel(
    *,
    town: Municipality,
    booking: Booking,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Cancels a booking and frees its counter. Staff (``actor``) may cancel at any time."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Booking.Status.CANCELLED:
            return booking
        if actor is None:
            _changeable(booking=booking, now=now, rules=booking_rules(town=town))
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        _queue_mail(booking=booking, kind=OutgoingMail.Kind.CANCELLED)
        if actor is not None:
            audit_record(
                town=town, actor=actor, action="appointments.cancel", target=str(booking.uuid)
            )
    return booking


def appointment_move(
    *, town: Municipality, booking: Booking, start: dt.datetime, now: dt.datetime | None = None
) -> Booking:
    """Moves a booking to ``start`` at its location; if that fails, the old time stays."""
    now = now or timezone.now()
    rules = booking_rules(town=town)
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("service", "location")
            .get(pk=booking.pk)
        )
        _changeable(booking=booking, now=now, rules=rules)
        if booking.start == start:
            return booking
        period = _period_for(
            town=town,
            service=booking.service,
            location=booking.location,
            start=start,
            now=now,
            rules=rules,
        )
        booking.start = start
        booking.end = start + dt.timedelta(minutes=booking.service.duration_minutes)
        _expire_holds(location=booking.location, start=booking.start, end=booking.end, now=now)
        _take_counter(booking=booking, period=period, fields=["start", "end", "updated_at"])
        _queue_mail(booking=booking, kind=OutgoingMail.Kind.MOVED, key=start.isoformat())
    return booking


def appointment_mark_no_show(
    *,
    town: Municipality,
    booking: Booking,
    no_show: bool,
    actor: Actor,
    now: dt.datetime | None = None,
) -> Booking:
    """Staff mark that a citizen did not come (or undo it); only once the time has begun."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        wanted = Booking.Status.NO_SHOW if no_show else Booking.Status.CONFIRMED
        if booking.status == wanted:
            return booking
        if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.NO_SHOW):
            raise BookingError(
                "not_changeable", _("Nur bestätigte Termine können markiert werden.")
            )
        if booking.start > now:
            raise BookingError("future", _("Der Termin hat noch nicht begonnen."))
        before = booking.status
        booking.status = wanted
        booking.save(update_fields=["status", "updated_at"])
        audit_record(
            town=town,
            actor=actor,
            action="appointments.no_show",
            target=str(booking.uuid),
            before=before,
            after=wanted,
        )
    return booking


def holds_expire(*, now: dt.datetime | None = None) -> int:
    """Marks guests' unconfirmed holds that ran out as expired; returns how many."""
    now = now or timezone.now()
    return Booking.objects.filter(status=Booking.Status.PENDING, hold_until__lt=now).update(
        status=Booking.Status.EXPIRED
    )


def reminders_send(*, town: Municipality, now: dt.datetime | None = None) -> int:
    """Sends the reminder for each confirmed booking of tomorrow that has none yet.

    Each reminder is a row keyed by the booking's start time, so running this
    twice (or in two workers at once) sends it once; a booking moved to
    another day gets a reminder for its new time.
    """
    now = now or timezone.now()
    if not booking_rules(town=town).reminders:
        return 0
    zone = local_zone()
    tomorrow = timezone.localtime(now, zone).date() + dt.timedelta(days=1)
    day_start = dt.datetime.combine(tomorrow, dt.time.min, zone)
    day_end = day_start + dt.timedelta(days=1)
    sent = 0
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, start__gte=day_start, start__lt=day_end
    )
    for booking in due.iterator():
        mail, _created = OutgoingMail.objects.get_or_create(
            booking=booking, kind=OutgoingMail.Kind.REMINDER, key=booking.start.isoformat()
        )
        if mail.sent_at is None and mail_deliver(mail_id=mail.pk, now=now):
            sent += 1
    return sent


def mail_deliver(*, mail_id: int, now: dt.datetime | None = None) -> bool:
    """Sends one queued e-mail unless it was sent already; ``True`` if it went out now.

    The row is locked while sending, so two workers never send it both.
    """
    from .mails import build_message

    with transaction.atomic():
        mail = (
            OutgoingMail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("booking__service", "booking__location")
            .filter(pk=mail_id, sent_at__isnull=True)
            .first()
        )
        if mail is None:
            return False
        build_message(mail=mail).send()
        mail.sent_at = now or timezone.now()
        mail.save(update_fields=["sent_at"])
    return True


def config_saved(*, town: Municipality, instance: Model, actor: Actor, created: bool) -> None:
    """Audits a change of the appointments configuration (a location, service, hours)."""
    audit_record(
        town=town,
        actor=actor,
        action="appointments.config.create" if created else "appointments.config.change",
        target=f"{instance._meta.model_name}:{instance.pk}:{instance}",
    )
