"""The e-mails about a booking: text, links and the iCalendar file."""

import datetime as dt

import icalendar
from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

from .models import Booking, OutgoingMail
from .selectors import booking_rules, local_zone
from .tokens import confirm_token, manage_token

SUBJECTS = {
    OutgoingMail.Kind.CONFIRM_REQUEST: gettext_noop("Bitte bestätigen Sie Ihren Termin"),
    OutgoingMail.Kind.CONFIRMED: gettext_noop("Ihr Termin ist gebucht"),
    OutgoingMail.Kind.MOVED: gettext_noop("Ihr Termin wurde verschoben"),
    OutgoingMail.Kind.CANCELLED: gettext_noop("Ihr Termin wurde storniert"),
    OutgoingMail.Kind.REMINDER: gettext_noop("Erinnerung: Ihr Termin morgen"),
}


def _one_line(text: str) -> str:
    return ", ".join(line.strip() for line in text.splitlines() if line.strip())


def _booking_site(*, town: Municipality, booking: Booking) -> str:
    """Where the citizen booked, else the town's primary host."""
    return booking.site_url.rstrip("/") if booking.site_url else town_url(town=town, path="")


def calendar_file(*, town: Municipality, booking: Booking, cancel: bool = False) -> bytes:
    """An iCalendar event of the booking (``cancel``: the same event, cancelled)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Rathaus//Termine//DE")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancel else "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"{booking.uuid}@{town.schema_name}.rathaus")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.start.astimezone(dt.UTC))
    event.add("dtend", booking.end.astimezone(dt.UTC))
    event.add("sequence", int(booking.updated_at.timestamp()) if booking.updated_at else 0)
    event.add("summary", f"{booking.service.name} – {town.name}")
    event.add(
        "location",
        ", ".join(filter(None, [booking.location.name, _one_line(booking.location.address)])),
    )
    documents = booking.service.document_list
    description = booking.service.name
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
    return cal.to_ical()


def build_message(*, mail: OutgoingMail) -> EmailMessage:
    town = current_town()
    booking = mail.booking
    base = _booking_site(town=town, booking=booking)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "town": town,
            "booking": booking,
            "kind": mail.kind,
            "start": timezone.localtime(booking.start, local_zone()),
            "end": timezone.localtime(booking.end, local_zone()),
            "documents": booking.service.document_list,
            "address_line": _one_line(booking.location.address),
            "manage_url": base + reverse("appointments:manage", args=[manage_token(booking)]),
            "confirm_url": base + reverse("appointments:confirm", args=[confirm_token(booking)]),
            "hold_until": timezone.localtime(booking.hold_until, local_zone())
            if booking.hold_until
            else None,
            "rules": booking_rules(town=town),
        }
        body = render_to_string("appointments/email/booking.txt", context)
        subject = f"{translation.gettext(SUBJECTS[OutgoingMail.Kind(mail.kind)])} – {town.name}"
    message = EmailMessage(subject=subject, body=body, to=[booking.email])
    if mail.kind != OutgoingMail.Kind.CONFIRM_REQUEST:
        cancel = mail.kind == OutgoingMail.Kind.CANCELLED
        message.attach(
            "termin.ics",
            calendar_file(town=town, booking=booking, cancel=cancel),
            f"text/calendar; charset=utf-8; method={'CANCEL' if cancel else 'PUBLISH'}",
        )
    return message
