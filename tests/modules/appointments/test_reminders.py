"""The reminder the day before goes out once, however often the task runs."""

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context
from kombu.exceptions import OperationalError

from rathaus.modules.appointments.models import Booking, OutgoingMail
from rathaus.modules.appointments.services import (
    Citizen,
    appointment_book,
    appointment_cancel,
    holds_expire,
    mail_deliver,
    mails_requeue,
    reminders_send,
)
from rathaus.modules.appointments.tasks import deliver_mail, send_reminders
from tests.factories import UserFactory

from .conftest import Office, at, open_day, send_queued_mail


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
    reminders = [m for m in mail.outbox if "Erinnerung" in m.subject]
    assert len(reminders) == 1
    assert reminders[0].to == ["erika@example.org"]
    assert "Biometrisches Passfoto" in reminders[0].body
    with tenant_context(office_a.town):
        assert OutgoingMail.objects.filter(booking=booking, kind="reminder").count() == 1


def test_the_beat_task_runs_in_the_town_and_sends_nothing_twice(
    office_a: Office, django_capture_on_commit_callbacks: Any
) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with tenant_context(office_a.town):
        booking = Booking.objects.create(
            service=office_a.service,
            location=office_a.location,
            counter=1,
            start=at(tomorrow, 10),
            end=at(tomorrow, 10, 30),
            name="E",
            email="e@example.org",
        )
        # Twice before the mail task did its work: it is queued twice ...
        with django_capture_on_commit_callbacks() as deliveries:
            send_reminders.apply()
            send_reminders.apply()
        assert len(deliveries) == 2
    # ... and both deliveries run: one e-mail goes out.
    send_queued_mail(office_a.town)
    send_queued_mail(office_a.town)
    with tenant_context(office_a.town):
        assert OutgoingMail.objects.get(booking=booking, kind="reminder").sent_at is not None
    assert len([m for m in mail.outbox if "Erinnerung" in m.subject]) == 1


def test_a_mail_is_delivered_once_when_the_task_is_retried(office_a: Office) -> None:
    with tenant_context(office_a.town):
        booking = appointment_book(
            town=office_a.town,
            service=office_a.service,
            location=office_a.location,
            start=at(open_day(office_a.town), 10),
            citizen=Citizen("E", "e@example.org"),
        )
        queued = OutgoingMail.objects.get(booking=booking)
        assert mail_deliver(mail_id=queued.pk) is True
        assert mail_deliver(mail_id=queued.pk) is False
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

    monkeypatch.setattr(deliver_mail, "apply_async", broker_down)
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

    queued: list[int] = []
    monkeypatch.setattr(deliver_mail, "delay", queued.append)
    with tenant_context(office_a.town):
        assert mails_requeue() == 0  # not yet: its task may still be on the way
        later = timezone.now() + dt.timedelta(minutes=11)
        assert mails_requeue(now=later) == 1
    send_queued_mail(office_a.town)
    with tenant_context(office_a.town):
        assert mails_requeue(now=later) == 0
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
        booked_mail = OutgoingMail.objects.get(booking=booking, kind="confirmed")
        # The broker was down: the "booked" e-mail is still unsent when the booking is cancelled.
        appointment_cancel(town=office_a.town, booking=booking)
        cancelled_mail = OutgoingMail.objects.get(booking=booking, kind="cancelled")

        assert mail_deliver(mail_id=booked_mail.pk) is False
        assert mail_deliver(mail_id=cancelled_mail.pk) is True
        booked_mail.refresh_from_db()
        assert booked_mail.skipped
        assert mails_requeue(now=timezone.now() + dt.timedelta(hours=1)) == 0
    assert [m.subject.split(" – ")[0] for m in mail.outbox] == ["Ihr Termin wurde storniert"]
