"""Staff pages: configuration, day and week views, no-shows, CSV export and statistics."""

import csv
import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.modules.staff_views import module_settings
from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town

from . import selectors, services
from .forms import (
    ExceptionsFormSet,
    HoursFormSet,
    LocationForm,
    ReferenceSearchForm,
    ServiceForm,
)
from .models import Booking, Location, Service
from .timetable import day_timetable, week_timetable

clerk = staff_required(module="appointments")


def _day(value: str | None, default: dt.date | None = None) -> dt.date:
    return parse_date(value or "") or default or timezone.localdate()


@clerk
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "appointments/staff/index.html",
        {
            "locations": Location.objects.all(),
            "services": Service.objects.prefetch_related("locations"),
            "today": timezone.localdate(),
        },
    )


@clerk
@require_safe
def find(request: HttpRequest) -> HttpResponse:
    """A reference number a citizen quotes ("T-7KQ4-2M") leads to that booking's day."""
    form = ReferenceSearchForm(request.GET or None)
    if form.is_valid():
        booking = selectors.booking_by_reference(reference=form.cleaned_data["reference"])
        if booking is not None:
            day = timezone.localtime(booking.start, selectors.local_zone()).date()
            return redirect(
                f"{_reverse_day(booking.location_id)}?date={day.isoformat()}#booking-{booking.uuid}"
            )
        form.add_error("reference", _("Zu dieser Buchungsnummer gibt es keinen Termin."))
    return render(request, "appointments/staff/find.html", {"form": form})


@clerk
@require_http_methods(["GET", "POST"])
def location_edit(request: HttpRequest, location_id: int | None = None) -> HttpResponse:
    location = get_object_or_404(Location, pk=location_id) if location_id else Location()
    form = LocationForm(request.POST or None, instance=location)
    hours = HoursFormSet(request.POST or None, instance=location, prefix="hours")
    exceptions = ExceptionsFormSet(request.POST or None, instance=location, prefix="exceptions")
    if request.method == "POST" and form.is_valid() and hours.is_valid() and exceptions.is_valid():
        created = location.pk is None
        with transaction.atomic():
            location = form.save()
            hours.instance = exceptions.instance = location
            hours.save()
            exceptions.save()
            services.config_saved(
                town=current_town(),
                instance=location,
                actor=request_actor(request),
                created=created,
            )
        messages.success(request, _("Gespeichert."))
        return redirect("staff-appointments:location", location_id=location.pk)
    return render(
        request,
        "appointments/staff/location_form.html",
        {"form": form, "hours": hours, "exceptions": exceptions, "location": location},
        status=400 if request.method == "POST" else 200,
    )


@clerk
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, service_id: int | None = None) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id) if service_id else Service()
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        created = service.pk is None
        with transaction.atomic():
            service = form.save()
            services.config_saved(
                town=current_town(),
                instance=service,
                actor=request_actor(request),
                created=created,
            )
        messages.success(request, _("Gespeichert."))
        return redirect("staff-appointments:index")
    return render(
        request,
        "appointments/staff/service_form.html",
        {"form": form, "service": service},
        status=400 if request.method == "POST" else 200,
    )


def rules_edit(request: HttpRequest) -> HttpResponse:
    """Town admins set the town-wide booking rules: the back office's page for module settings."""
    return module_settings(request, key="appointments")


@clerk
@require_safe
def day(request: HttpRequest, location_id: int) -> HttpResponse:
    """A location's day as a timetable: per counter and time, who is booked and what is free."""
    location = get_object_or_404(Location, pk=location_id)
    chosen = _day(request.GET.get("date"))
    table = day_timetable(town=current_town(), location=location, day=chosen)
    return render(
        request,
        "appointments/staff/day.html",
        {
            "location": location,
            "table": table,
            "day": chosen,
            "today": timezone.localdate(),
            "previous": chosen - dt.timedelta(days=1),
            "next": chosen + dt.timedelta(days=1),
            "now": timezone.now(),
        },
    )


@clerk
@require_safe
def week(request: HttpRequest, location_id: int) -> HttpResponse:
    """A location's week, per hour and day: bookings and free counter slots."""
    location = get_object_or_404(Location, pk=location_id)
    chosen = _day(request.GET.get("date"))
    monday = chosen - dt.timedelta(days=chosen.weekday())
    table = week_timetable(town=current_town(), location=location, first=monday)
    return render(
        request,
        "appointments/staff/week.html",
        {
            "location": location,
            "table": table,
            "first": monday,
            "last": monday + dt.timedelta(days=6),
            "previous": monday - dt.timedelta(days=7),
            "next": monday + dt.timedelta(days=7),
            "today": timezone.localdate(),
        },
    )


@clerk
@require_POST
def no_show(request: HttpRequest, booking_uuid: uuid.UUID) -> HttpResponse:
    booking = get_object_or_404(Booking, uuid=booking_uuid)
    try:
        services.appointment_mark_no_show(
            town=current_town(),
            booking=booking,
            no_show=request.POST.get("no_show") == "1",
            actor=request_actor(request),
        )
    except services.BookingError as exc:
        messages.error(request, exc.message)
    day_of = timezone.localtime(booking.start, selectors.local_zone()).date()
    return redirect(f"{_reverse_day(booking.location_id)}?date={day_of.isoformat()}")


@clerk
@require_POST
def staff_cancel(request: HttpRequest, booking_uuid: uuid.UUID) -> HttpResponse:
    booking = get_object_or_404(Booking, uuid=booking_uuid)
    try:
        services.appointment_cancel(
            town=current_town(), booking=booking, actor=request_actor(request)
        )
    except services.BookingError as exc:
        messages.error(request, exc.message)
    day_of = timezone.localtime(booking.start, selectors.local_zone()).date()
    return redirect(f"{_reverse_day(booking.location_id)}?date={day_of.isoformat()}")


def _reverse_day(location_id: int) -> str:
    return reverse("staff-appointments:day", args=[location_id])


def _range(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    first = _day(request.GET.get("from"), today - dt.timedelta(days=30))
    last = _day(request.GET.get("to"), today + dt.timedelta(days=30))
    if last < first:
        first, last = last, first
    return first, min(last, first + dt.timedelta(days=366))


@clerk
@require_safe
def export_csv(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_object_or_404(Location, pk=location_id)
    first, last = _range(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="termine-{location.pk}-{first.isoformat()}-{last.isoformat()}.csv"'
    )
    response.write("\ufeff")  # so spreadsheet programs read the umlauts as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Datum"),
            _("Beginn"),
            _("Ende"),
            _("Schalter"),
            _("Dienstleistung"),
            _("Name"),
            _("E-Mail"),
            _("Telefon"),
            _("Status"),
        ]
    )
    zone = selectors.local_zone()
    for booking in selectors.bookings_between(location=location, start=first, end=last):
        start = timezone.localtime(booking.start, zone)
        writer.writerow(
            [
                start.date().isoformat(),
                start.strftime("%H:%M"),
                timezone.localtime(booking.end, zone).strftime("%H:%M"),
                booking.counter,
                booking.service.name,
                _csv_safe(booking.name),
                _csv_safe(booking.email),
                _csv_safe(booking.phone),
                booking.get_status_display(),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    # A citizen's text starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@clerk
@require_safe
def statistics(request: HttpRequest, location_id: int) -> HttpResponse:
    location = get_object_or_404(Location, pk=location_id)
    first, last = _range(request)
    stats: dict[str, Any] = selectors.booking_statistics(
        town=current_town(), location=location, start=first, end=last
    )
    return render(
        request,
        "appointments/staff/statistics.html",
        {"location": location, "first": first, "last": last, "stats": stats},
    )
