"""The reminder the day before goes out once, however often the task runs; late e-mails that
no longer hold are dropped; a lost task is made good by the outbox's beat."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from django_tenants.utils import tenant_context
from kombu.exceptions import OperationalError

from rathaus.modules.appointments.models import Booking
from rathaus.modules.appointments.services import (
    Citizen,
    appointment_book,
    appointment_cancel,
    appointment_move,
    holds_expire,
    reminders_send,
)
from rathaus.modules.appointments.tasks import send_reminders
from rathaus.platform.audit.services import Actor
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.services import message_deliver, messages_requeue
from rathaus.platform.messaging.tasks import deliver, deliver_batch
from tests.factories import UserFactory

from .conftest import Office, at, open_day, send_queued_mail


def _reminders() -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if "Erinnerung" in m.subject]


def test_the_reminder_is_sent_once_even_when_the_task_runs_twice(office_a: Office) -> None:
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        user = UserFactory.create(email="erika@example.org")
        booking = appointment_book(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=at(day, 10),
            citizen=Citizen("Erika", "erika@example.org"),
            user=user,
        )
    send_queued_mail(office_a.town)
    the_day_before = at(day - dt.timedelta(days=1), 9)

    with tenant_context(office_a.town):
        first = reminders_send(town=office_a.town, now=the_day_before)
    send_queued_mail(office_a.town)
    with tenant_context(office_a.town):
        second = reminders_send(town=office_a.town, now=the_day_before)
    send_queued_mail(office_a.town)

    assert (first, second) == (1, 0)
    [reminder] = _reminders()
    assert reminder.to == ["erika@example.org"]
    assert reminder.from_email == "Tangerhütte <noreply@localhost>"
    assert "Biometrisches Passfoto" in reminder.body
    assert reminder.attachments[0][0] == "termin.ics"  # the calendar file, as before
    with tenant_context(office_a.town):
        row = OutboxMessage.objects.get(
            context__booking=str(booking.uuid), context__event="reminder"
        )
        assert row.recipient_id == user.pk


def test_a_moved_booking_gets_a_reminder_for_its_new_time(office_a: Office) -> None:
    day = open_day(office_a.town)
    the_day_before = at(day - dt.timedelta(days=1), 9)
    with tenant_context(office_a.town):
        booking = appointment_book(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=at(day, 10),
            citizen=Citizen("E", "e@example.org"),
            user=UserFactory.create(email="e@example.org"),
        )
        assert reminders_send(town=office_a.town, now=the_day_before) == 1
        # Moved before the reminder went out: the old one no longer holds.
        appointment_move(town=office_a.town, booking=booking, start=at(day, 14), now=the_day_before)
        assert reminders_send(town=office_a.town, now=the_day_before) == 1
    send_queued_mail(office_a.town)

    [reminder] = _reminders()
    assert "14:00" in reminder.body
    with tenant_context(office_a.town):
        states = sorted(
            OutboxMessage.objects.filter(context__event="reminder").values_list("state", flat=True)
        )
    assert states == ["sent", "skipped"]


def test_the_beat_task_runs_in_the_town_and_sends_nothing_twice(
    office_a: Office, django_capture_on_commit_callbacks: Any
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with tenant_context(office_a.town):
        Booking.objects.create(
            service=office_a.service,
            location=office_a.location,
            counter=1,
            start=at(tomorrow, 10),
            end=at(tomorrow, 10, 30),
            name="E",
            email="e@example.org",
        )
        # Twice before the outbox did its work: the second run adds nothing ...
        with django_capture_on_commit_callbacks(execute=False) as batches:
            send_reminders.apply()
            send_reminders.apply()
        assert len(batches) == 1
    # ... and the delivery running twice sends one e-mail.
    send_queued_mail(office_a.town)
    send_queued_mail(office_a.town)
    with tenant_context(office_a.town):
        assert OutboxMessage.objects.get(context__event="reminder").state == "sent"
    assert len(_reminders()) == 1


def test_a_mail_is_delivered_once_when_the_task_is_retried(office_a: Office) -> None:
    with tenant_context(office_a.town):
        appointment_book(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=at(open_day(office_a.town), 10),
            citizen=Citizen("E", "e@example.org"),
        )
        queued = OutboxMessage.objects.get()
        assert deliver(queued.pk)["sent"] == 1
        assert deliver(queued.pk)["sent"] == 0
        assert message_deliver(message_id=queued.pk, claim="another-worker").sent == 0
    assert len(mail.outbox) == 1


def test_unconfirmed_guest_bookings_expire(office_a: Office) -> None:
    with tenant_context(office_a.town):
        booking = appointment_book(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=at(open_day(office_a.town), 10),
            citizen=Citizen("E", "e@example.org"),
        )
        assert holds_expire() == 0
        assert holds_expire(now=timezone.now() + dt.timedelta(hours=1)) == 1
        booking.refresh_from_db()
        assert booking.status == Booking.Status.EXPIRED


def test_a_broker_outage_keeps_the_booking_and_the_mail_goes_out_later(
    office_a: Office, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broker_down(*args: object, **kwargs: object) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(deliver, "apply_async", broker_down)
    with tenant_context(office_a.town), django_capture_on_commit_callbacks(execute=True):
        booking = appointment_book(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=at(open_day(office_a.town), 10),
            citizen=Citizen("E", "e@example.org"),
        )
    assert booking.pk is not None
    monkeypatch.undo()

    queued: list[list[int]] = []
    monkeypatch.setattr(deliver_batch, "apply_async", lambda args, **_: queued.append(args[0]))
    with tenant_context(office_a.town):
        assert messages_requeue().requeued == 0  # not yet: its task may still be on the way
        later = timezone.now() + dt.timedelta(minutes=11)
        assert messages_requeue(now=later).requeued == 1
        # Queued again now: the next beat run does not queue it twice.
        assert messages_requeue(now=later + dt.timedelta(minutes=1)).requeued == 0
        # The clock reaches "later": the queued task finds the message due.
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert len(queued) == 1
    send_queued_mail(office_a.town)
    with tenant_context(office_a.town):
        assert messages_requeue(now=later + dt.timedelta(hours=1)).requeued == 0
    assert [m.to for m in mail.outbox] == [["e@example.org"]]


def test_a_late_mail_that_no_longer_holds_is_dropped_not_sent(office_a: Office) -> None:
    with tenant_context(office_a.town):
        user = UserFactory.create(email="late@example.org")
        booking = appointment_book(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=at(open_day(office_a.town), 10),
            citizen=Citizen("L", "late@example.org"),
            user=user,
        )
        booked_mail = OutboxMessage.objects.get(context__event="confirmed")
        # The broker was down: the "booked" e-mail is still unsent when the booking is cancelled.
        appointment_cancel(town=office_a.town, booking=booking)
        cancelled_mail = OutboxMessage.objects.get(context__event="cancelled")

        assert message_deliver(message_id=booked_mail.pk, claim="t").skipped == 1
        assert message_deliver(message_id=cancelled_mail.pk, claim="t").sent == 1
        booked_mail.refresh_from_db()
        assert booked_mail.state == "skipped"
        assert messages_requeue(now=timezone.now() + dt.timedelta(hours=1)).requeued == 0
    assert [m.subject.split(" – ")[0] for m in mail.outbox] == ["Ihr Termin wurde storniert"]


def test_the_emails_speak_the_language_the_citizen_booked_in(office_a: Office) -> None:
    """Booked on the English page: the confirmation, and later a cancellation by staff on
    the German back office, come in English."""
    day = open_day(office_a.town)
    with tenant_context(office_a.town):
        user = UserFactory.create(email="jane@example.org")
        with translation.override("en"):
            booking = appointment_book(
                town=office_a.town,
                service=office_a.service,
                location=office_a.location,
                start=at(day, 10),
                citizen=Citizen("Jane", "jane@example.org"),
                user=user,
            )
    [booked] = send_queued_mail(office_a.town)
    with tenant_context(office_a.town), translation.override("de"):
        appointment_cancel(town=office_a.town, booking=booking, actor=Actor.system("staff"))
    [cancelled] = send_queued_mail(office_a.town)

    assert booked.subject == "Your appointment is booked – Tangerhütte"
    assert cancelled.subject == "Your appointment has been cancelled – Tangerhütte"
    assert "Service" in str(cancelled.body)
    assert booked.extra_headers["Content-Language"] == "en"
