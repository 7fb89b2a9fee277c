"""Writes: booking, confirming, moving and cancelling appointments, no-shows, e-mails, reminders.

The capacity rule lives in the database (see ``models.Booking``): a booking
takes a counter by inserting its row; if a concurrent booking took the same
counter first, PostgreSQL refuses the row and the next free counter is tried
(``counters``). Nothing here counts bookings before inserting and trusts the count.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.durations import duration_text
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import (
    NewMessage,
    message_enqueue,
    message_prepare,
    message_queue_on_commit,
    messages_enqueue_many,
)
from rathaus.tenants.models import Municipality

from . import counters
from .errors import BookingError, SlotTakenError
from .messages import KIND, Event, message_context, message_key, moment
from .models import Booking, Location, Service
from .references import reference_new
from .selectors import BookingFacts, Period, Rules, booking_facts, booking_rules, local_zone

logger = logging.getLogger(__name__)

EXCLUSION_VIOLATION = "23P01"
MOVED_FIELDS = ("start", "end", "counter", "location", "service", "updated_at")


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment, local_zone()), "DATETIME_FORMAT")


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment, local_zone()).date()


def _period_for(
    *,
    service: Service,
    location: Location,
    start: dt.datetime,
    now: dt.datetime,
    facts: BookingFacts,
) -> Period:
    """The opening period ``start`` falls in for ``service``; else ``BookingError``."""
    rules = facts.rules
    if not service.is_active or not location.is_active:
        raise BookingError("not_offered", _("Diese Dienstleistung ist derzeit nicht buchbar."))
    if not facts.offered:
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
    day = _local_day(start)
    if day > rules.last_day(now):
        raise BookingError(
            "beyond_window",
            _("Termine können höchstens %(days)s Tage im Voraus gebucht werden.")
            % {"days": rules.booking_horizon_days},
        )
    plan = facts.plan
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


def _is_exclusion_violation(exc: IntegrityError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == EXCLUSION_VIOLATION


def _slot_taken(start: dt.datetime) -> SlotTakenError:
    return SlotTakenError(
        "slot_taken",
        _("Der Termin am %(when)s ist leider schon vergeben. Bitte wählen Sie eine andere Zeit.")
        % {"when": _when(start)},
    )


def _all_busy(facts: BookingFacts, period: Period) -> bool:
    """Committed bookings hold every counter open then: taken, no need to try."""
    return facts.busy_counters.issuperset(range(1, period.counters + 1))


def _keep_trying(
    attempt: counters.Attempt,
    backoff: counters.Backoff,
    *,
    now: dt.datetime,
    location_id: int,
    start: dt.datetime,
    end: dt.datetime,
    exclude: int = 0,
) -> bool:
    """After an attempt that took no counter: ``True`` to try again, ``False`` if all are taken."""
    if attempt.stale_holds:
        counters.holds_expire_at(
            location_id=location_id, start=start, end=end, now=now, exclude=exclude
        )
        return backoff.again(at_once=True)
    if attempt.free == 0:
        return False
    # A counter locked but taken by a booking that committed after this
    # attempt looked: the next attempt sees it, no need to wait. Otherwise
    # others are booking every free counter right now; their outcome decides.
    return backoff.again(at_once=attempt.tried is not None)


def _message_fields(*, booking: Booking, event: Event, suffix: str = "") -> dict[str, Any]:
    """The e-mail about ``event``, in the language the citizen booked in."""
    return {
        "key": message_key(booking=booking, event=event, suffix=suffix),
        "kind": KIND,
        "address": booking.email,
        "recipient": booking.user,
        "context": message_context(booking=booking, event=event),
        "language": booking.language or settings.LANGUAGE_CODE,
    }


def _queue_mail(*, booking: Booking, event: Event, suffix: str = "") -> OutboxMessage:
    """Writes the e-mail with the change; the outbox sends it after the commit, exactly once.

    Robust: when the broker is down the change stands (it is committed) and the
    citizen sees it; the outbox's beat sends the e-mail once the broker is back.
    """
    return message_enqueue(**_message_fields(booking=booking, event=event, suffix=suffix))


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
    now: dt.datetime | None = None,
) -> Booking:
    """Books ``service`` at ``location`` for ``start``.

    A logged-in ``user`` gets a confirmed booking at once; a guest's booking
    holds its place for ``guest_hold_minutes`` until confirmed through the
    link in the e-mail. Raises ``BookingError`` (``SlotTakenError`` when every
    counter is taken) with a message that names the problem. Two round trips
    to the database when the time is free: the checks, and the booking.
    """
    now = now or timezone.now()
    email = citizen.email.strip().lower()
    end = start + dt.timedelta(minutes=service.duration_minutes)
    facts = booking_facts(
        town=town,
        service=service,
        location=location,
        start=start,
        end=end,
        email=email,
        user=user,
        now=now,
    )
    period = _period_for(service=service, location=location, start=start, now=now, facts=facts)
    rules = facts.rules
    if facts.open_bookings >= rules.max_open_bookings:
        raise BookingError(
            "too_many",
            _("Sie haben schon %(n)s offene Termine. Bitte sagen Sie zuerst einen ab.")
            % {"n": rules.max_open_bookings},
        )
    if _all_busy(facts, period):
        raise _slot_taken(start)
    is_guest = user is None
    booking = Booking(
        service=service,
        location=location,
        start=start,
        end=end,
        user=user,
        name=(citizen.name.strip() or (user.get_full_name() if user else ""))[:200],
        email=email,
        phone=citizen.phone.strip(),
        status=Booking.Status.PENDING if is_guest else Booking.Status.CONFIRMED,
        hold_until=now + dt.timedelta(minutes=rules.guest_hold_minutes) if is_guest else None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    # Written in the booking's own statement (one round trip), sent after the commit.
    message = message_prepare(
        **_message_fields(
            booking=booking,
            event=Event.CONFIRM_REQUEST if is_guest else Event.CONFIRMED,
            suffix=str(moment(start)),
        )
    )
    backoff = counters.Backoff()
    while True:
        # A fresh number each try: one drawn twice in the town inserts nothing.
        booking.reference = reference_new()
        attempt = counters.booking_insert(
            booking=booking, counters=period.counters, message=message, now=now
        )
        if attempt.message_id is not None:
            message_queue_on_commit(message_id=attempt.message_id)
            return booking
        if not _keep_trying(
            attempt, backoff, now=now, location_id=location.pk, start=start, end=end
        ):
            raise _slot_taken(start)


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
            counters.counter_lock(location_id=booking.location_id, counter=booking.counter)
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
        _queue_mail(booking=booking, event=Event.CONFIRMED, suffix=str(moment(booking.start)))
    return booking


def _changeable(*, booking: Booking, now: dt.datetime, rules: Rules) -> None:
    ran_out = (
        booking.status == Booking.Status.PENDING
        and booking.hold_until is not None
        and booking.hold_until < now
    )
    if booking.status not in (Booking.Status.PENDING, Booking.Status.CONFIRMED) or ran_out:
        raise BookingError(
            "not_changeable", _("Dieser Termin ist bereits storniert oder verfallen.")
        )
    if booking.start - dt.timedelta(minutes=rules.cancel_notice_minutes) <= now:
        raise BookingError(
            "too_late",
            _("Termine können nur bis %(duration)s vor Beginn geändert werden.")
            % {"duration": duration_text(rules.cancel_notice_minutes, long=True)},
        )


def appointment_cancel(
    *,
    town: Municipality,
    booking: Booking,
    actor: Actor | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Cancels a booking and frees its counter.

    Citizens up to the cancel notice; staff (``actor``) any open booking until it ends.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Booking.Status.CANCELLED:
            return booking
        if actor is None:
            _changeable(booking=booking, now=now, rules=booking_rules(town=town))
        elif booking.status not in (Booking.Status.PENDING, Booking.Status.CONFIRMED):
            raise BookingError("not_changeable", _("Nur offene Termine können abgesagt werden."))
        elif booking.end <= now:
            raise BookingError("past", _("Dieser Termin liegt in der Vergangenheit."))
        before = booking.status
        booking.status = Booking.Status.CANCELLED
        booking.save(update_fields=["status", "updated_at"])
        _queue_mail(booking=booking, event=Event.CANCELLED)
        if actor is not None:
            audit_record(
                town=town,
                actor=actor,
                action="appointments.cancel",
                target=str(booking.uuid),
                before=before,
                after=booking.status,
            )
    return booking


def appointment_move(
    *,
    town: Municipality,
    booking: Booking,
    start: dt.datetime,
    location: Location | None = None,
    service: Service | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Moves a booking to ``start``, also to another ``location`` or ``service`` if given.

    All checks of a new booking apply to the new time; if any fails, or the
    time is taken, the booking keeps its old time, place and service. The
    citizen gets an e-mail about the change.
    """
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update()
            .select_related("service", "location")
            .get(pk=booking.pk)
        )
        location = location or booking.location
        service = service or booking.service
        end = start + dt.timedelta(minutes=service.duration_minutes)
        facts = booking_facts(
            town=town,
            service=service,
            location=location,
            start=start,
            end=end,
            email=booking.email,
            user=None,
            now=now,
            exclude=booking.pk,
        )
        _changeable(booking=booking, now=now, rules=facts.rules)
        if (booking.start, booking.location_id, booking.service_id) == (
            start,
            location.pk,
            service.pk,
        ):
            return booking
        period = _period_for(service=service, location=location, start=start, now=now, facts=facts)
        if _all_busy(facts, period):
            raise _slot_taken(start)
        backoff = counters.Backoff()
        while True:
            attempt = counters.counter_pick(
                location_id=location.pk,
                start=start,
                end=end,
                counters=period.counters,
                exclude=booking.pk,
                now=now,
            )
            if attempt.counter is not None:
                booking.start, booking.end, booking.counter = start, end, attempt.counter
                booking.location, booking.service = location, service
                try:
                    with transaction.atomic():
                        booking.save(update_fields=[*MOVED_FIELDS])
                    break
                except IntegrityError as exc:
                    if not _is_exclusion_violation(exc):
                        raise
            elif not _keep_trying(
                attempt,
                backoff,
                now=now,
                location_id=location.pk,
                start=start,
                end=end,
                exclude=booking.pk,
            ):
                raise _slot_taken(start)
        # Each move is its own event: moving back to an earlier time mails again.
        # A guest who has not confirmed yet gets the request again, with the link.
        event = Event.CONFIRM_REQUEST if booking.status == Booking.Status.PENDING else Event.MOVED
        _queue_mail(booking=booking, event=event, suffix=uuid.uuid4().hex)
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
    """Queues the reminder for each confirmed booking of tomorrow; returns how many are new.

    Each reminder is an outbox row keyed by the booking and its start time, written
    for all of tomorrow's bookings in one statement and sent in batches, so running
    this twice (or in two workers at once) sends it once; a booking moved to another
    day gets a reminder for its new time. One whose task was lost is sent by the
    outbox's beat.
    """
    now = now or timezone.now()
    if not booking_rules(town=town).reminders:
        return 0
    zone = local_zone()
    tomorrow = timezone.localtime(now, zone).date() + dt.timedelta(days=1)
    day_start = dt.datetime.combine(tomorrow, dt.time.min, zone)
    day_end = day_start + dt.timedelta(days=1)
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, start__gte=day_start, start__lt=day_end
    ).only("pk", "uuid", "start", "email", "user_id", "language")
    reminders = [
        NewMessage(
            key=message_key(
                booking=booking, event=Event.REMINDER, suffix=str(moment(booking.start))
            ),
            address=booking.email,
            context=message_context(booking=booking, event=Event.REMINDER),
            recipient_id=booking.user_id,
            language=booking.language or settings.LANGUAGE_CODE,
        )
        for booking in due.iterator()
    ]
    return len(messages_enqueue_many(kind=KIND, messages=reminders))


def config_saved(*, town: Municipality, instance: Model, actor: Actor, created: bool) -> None:
    """Audits a change of the appointments configuration (a location, service, hours)."""
    audit_record(
        town=town,
        actor=actor,
        action="appointments.config.create" if created else "appointments.config.change",
        target=f"{instance._meta.model_name}:{instance.pk}:{instance}",
    )
