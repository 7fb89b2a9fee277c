"""The e-mails about a booking: one message kind for the outbox, rendered at send time.

A booking's e-mail is an outbox row (``rathaus.platform.messaging``) of kind
``appointments.booking``; its context names the booking (its uuid), the event
and, for a reminder, the start it reminds of. When it goes out, the text, the
links and the iCalendar file are made from the booking as it is then; an e-mail
whose event no longer holds (a "booked" e-mail for a booking cancelled since, a
reminder for a time it was moved from) is skipped instead.
"""

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum

import icalendar
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import Attachment, MessageKind, Rendered, kinds
from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

from .models import Booking
from .selectors import Rules, booking_rules, local_zone
from .tokens import confirm_token, manage_token

KIND = "appointments.booking"


class Event(StrEnum):
    CONFIRM_REQUEST = "confirm_request"
    CONFIRMED = "confirmed"
    MOVED = "moved"
    CANCELLED = "cancelled"
    REMINDER = "reminder"


SUBJECTS = {
    Event.CONFIRM_REQUEST: gettext_noop("Bitte bestätigen Sie Ihren Termin"),
    Event.CONFIRMED: gettext_noop("Ihr Termin ist gebucht"),
    Event.MOVED: gettext_noop("Ihr Termin wurde verschoben"),
    Event.CANCELLED: gettext_noop("Ihr Termin wurde storniert"),
    Event.REMINDER: gettext_noop("Erinnerung: Ihr Termin morgen"),
}


def moment(start: dt.datetime) -> int:
    """A start time as it appears in keys and contexts (seconds since the epoch)."""
    return int(start.timestamp())


def message_key(*, booking: Booking, event: Event, suffix: str = "") -> str:
    """One e-mail per booking and event (and ``suffix``: a start time, or a move's own id)."""
    return f"{KIND}:{booking.uuid}:{event}:{suffix}"


def message_context(*, booking: Booking, event: Event) -> dict[str, object]:
    return {"booking": str(booking.uuid), "event": str(event), "start": moment(booking.start)}


def _one_line(text: str) -> str:
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def calendar_file(*, town: Municipality, booking: Booking, cancel: bool = False) -> bytes:
    """An iCalendar event of the booking (``cancel``: the same event, cancelled).

    Times are the town hall's local time (``TZID=Europe/Berlin`` with its
    ``VTIMEZONE``), so a calendar shows 10:00 whatever zone its device is in and
    keeps it at 10:00 across a change to or from summer time.
    """
    zone = local_zone()
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Rathaus//Termine//DE")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{booking.uuid}@{town.schema_name}.rathaus")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.start.astimezone(zone))
    event.add("dtend", booking.end.astimezone(zone))
    event.add("sequence", int(booking.updated_at.timestamp()) if booking.updated_at else 0)
    event.add("summary", f"{booking.service.name} – {town.name}")
    event.add(
        "location",
        ", ".join(filter(None, [booking.location.name, _one_line(booking.location.address)])),
    )
    documents = booking.service.document_list
    description = f"{booking.service.name}\n{booking.reference}"
    if documents:
        description += "\n\nBitte mitbringen:\n" + "\n".join(f"- {d}" for d in documents)
    event.add("description", description)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    if not cancel:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", booking.service.name)
        alarm.add("trigger", dt.timedelta(hours=-1))
        event.add_component(alarm)
    cal.add_component(event)
    # The zone's rules around the appointment only, not fifty years of them.
    day = timezone.localtime(booking.start, zone).date()
    cal.add_missing_timezones(
        first_date=day - dt.timedelta(days=366), last_date=day + dt.timedelta(days=366)
    )
    return cal.to_ical()


def still_true(*, booking: Booking, event: str, start: object, now: dt.datetime) -> bool:
    """Whether what the e-mail for ``event`` says still holds for ``booking``."""
    if booking.end <= now:
        return False
    if event == Event.CONFIRM_REQUEST:
        return booking.status == Booking.Status.PENDING and (
            booking.hold_until is None or booking.hold_until > now
        )
    if event == Event.CANCELLED:
        return booking.status == Booking.Status.CANCELLED
    if event == Event.REMINDER:
        return booking.status == Booking.Status.CONFIRMED and start == moment(booking.start)
    if event == Event.MOVED:
        return booking.status in (Booking.Status.PENDING, Booking.Status.CONFIRMED)
    return booking.status == Booking.Status.CONFIRMED


def booking_email(*, town: Municipality, booking: Booking, event: Event, rules: Rules) -> Rendered:
    """The e-mail about ``event``, in the active language, with the iCalendar file."""
    # The town's primary host, never the Host header a request came with (a client
    # chooses its port and letter case).
    base = town_url(town=town, path="")
    zone = local_zone()
    context = {
        "town": town,
        "booking": booking,
        "kind": str(event),
        "start": timezone.localtime(booking.start, zone),
        "end": timezone.localtime(booking.end, zone),
        "documents": booking.service.document_list,
        "address_line": _one_line(booking.location.address),
        "manage_url": base + reverse("appointments:manage", args=[manage_token(booking)]),
        "confirm_url": base + reverse("appointments:confirm", args=[confirm_token(booking)]),
        "hold_until": timezone.localtime(booking.hold_until, zone) if booking.hold_until else None,
        "rules": rules,
    }
    attachments: tuple[Attachment, ...] = ()
    if event != Event.CONFIRM_REQUEST:
        cancel = event == Event.CANCELLED
        attachments = (
            Attachment(
                "termin.ics",
                calendar_file(town=town, booking=booking, cancel=cancel),
                f"text/calendar; charset=utf-8; method={'CANCEL' if cancel else 'PUBLISH'}",
            ),
        )
    return Rendered(
        subject=f"{gettext(SUBJECTS[event])} – {town.name}",
        body=render_to_string("appointments/email/booking.txt", context),
        attachments=attachments,
    )


@kinds.register(KIND)
class BookingMessage(MessageKind):
    channel = "email"
    label = gettext_lazy("E-Mail zu einem Termin")

    def render(self, message: OutboxMessage) -> Rendered | None:
        return self.render_batch([message])[0]

    def render_batch(self, messages: Sequence[OutboxMessage]) -> list[Rendered | None]:
        """One query for the batch's bookings (reminders go out many at once)."""
        town = current_town()
        bookings = {
            str(booking.uuid): booking
            for booking in Booking.objects.select_related("service", "location").filter(
                uuid__in=[str(m.context.get("booking")) for m in messages]
            )
        }
        rules = booking_rules(town=town)
        now = timezone.now()
        rendered: list[Rendered | None] = []
        for message in messages:
            booking = bookings.get(str(message.context.get("booking")))
            event = str(message.context.get("event"))
            if (
                booking is None
                or event not in SUBJECTS
                or not still_true(
                    booking=booking, event=event, start=message.context.get("start"), now=now
                )
            ):
                # Late (the broker or the mail server was down) and overtaken by events:
                # a "booked" e-mail for a cancelled booking would put it back into the
                # citizen's calendar.
                rendered.append(None)
                continue
            rendered.append(
                booking_email(town=town, booking=booking, event=Event(event), rules=rules)
            )
        return rendered
