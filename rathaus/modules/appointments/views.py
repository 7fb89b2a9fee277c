"""Citizen pages: pick a service, see free times, book, confirm, cancel and move."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.platform.abuse.limits import rate_limit
from rathaus.platform.staff.selectors import may_work_on
from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality

from . import selectors, services
from .forms import BookingForm
from .limits import BOOKING
from .messages import calendar_file
from .models import Booking, Location, Service
from .submissions import booked_once
from .tokens import booking_for_confirm_token, booking_for_manage_token, manage_token


def _parse_start(value: str | None) -> dt.datetime | None:
    # A "+" of the UTC offset arrives as a space when a link was not URL-encoded.
    parsed = parse_datetime((value or "").strip().replace(" ", "+"))
    if parsed is None:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, selectors.local_zone())
    return parsed


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "appointments/index.html",
        {
            "services": selectors.bookable_services(),
            "is_clerk": may_work_on(user=request.user, module="appointments"),
        },
    )


@require_safe
def service_detail(request: HttpRequest, service_id: int) -> HttpResponse:
    service = get_object_or_404(selectors.bookable_services(), pk=service_id)
    locations = list(selectors.bookable_locations(service=service))
    if len(locations) == 1:
        return redirect("appointments:slots", service_id=service.pk, location_id=locations[0].pk)
    return render(
        request, "appointments/service.html", {"service": service, "locations": locations}
    )


def _week_slots(
    *,
    town: Municipality,
    service: Service,
    location: Location,
    week: int,
    rules: selectors.Rules,
    moving: Booking | None,
) -> list[dict[str, Any]]:
    first = timezone.localdate() + dt.timedelta(days=7 * week)
    found = selectors.availability(
        town=town,
        service=service,
        location=location,
        start=first,
        days=7,
        rules=rules,
        moving=moving,
    )
    by_day: dict[dt.date, list[selectors.Slot]] = defaultdict(list)
    for slot in found.slots:
        by_day[timezone.localtime(slot.start, selectors.local_zone()).date()].append(slot)
    return [
        {"day": plan.day, "slots": by_day.get(plan.day, []), "closed_reason": plan.closed_reason}
        for plan in found.plans
    ]


@require_safe
def slots(request: HttpRequest, service_id: int, location_id: int) -> HttpResponse:
    town = current_town()
    service = get_object_or_404(selectors.bookable_services(), pk=service_id)
    location = get_object_or_404(selectors.bookable_locations(service=service), pk=location_id)
    rules = selectors.booking_rules(town=town)
    weeks = max(1, (rules.booking_horizon_days + 6) // 7)
    try:
        week = min(max(int(request.GET.get("week", 0)), 0), weeks - 1)
    except ValueError:
        week = 0
    move = request.GET.get("move", "")
    moving = booking_for_manage_token(move) if move else None
    # Moving: the same service at another place is one click away.
    other_locations = (
        [other for other in selectors.bookable_locations(service=service) if other != location]
        if moving
        else []
    )
    days = _week_slots(
        town=town, service=service, location=location, week=week, rules=rules, moving=moving
    )
    return render(
        request,
        "appointments/slots.html",
        {
            "service": service,
            "location": location,
            "days": days,
            "first_free_day": next((day["day"] for day in days if day["slots"]), None),
            "week": week,
            "previous_week": week - 1 if week > 0 else None,
            "next_week": week + 1 if week + 1 < weeks else None,
            "moving": moving,
            "move_token": move if moving else "",
            "other_locations": other_locations,
        },
    )


@require_http_methods(["GET", "POST"])
@rate_limit(BOOKING, block=False)
def book(request: HttpRequest, service_id: int, location_id: int) -> HttpResponse:
    town = current_town()
    service = get_object_or_404(selectors.bookable_services(), pk=service_id)
    location = get_object_or_404(selectors.bookable_locations(service=service), pk=location_id)
    start = _parse_start(request.POST.get("start") or request.GET.get("start"))
    if start is None:
        raise Http404("no such time")
    user = request.user if request.user.is_authenticated else None
    initial = {"name": user.get_full_name(), "email": user.email} if user is not None else {}
    status = 200
    error = ""
    form = BookingForm(request.POST or None, initial=initial, logged_in=user is not None)
    if request.method == "POST":
        if getattr(request, "limited", False):
            error = _("Zu viele Buchungen von Ihrem Anschluss. Bitte versuchen Sie es später.")
            status = 429
        elif form.is_valid():
            try:
                booking = booked_once(
                    token=form.submission_token,
                    book=lambda: services.appointment_book(
                        town=town,
                        service=service,
                        location=location,
                        start=start,
                        citizen=services.Citizen(
                            form.cleaned_data["name"],
                            user.email if user else form.cleaned_data["email"],
                            form.cleaned_data["phone"],
                        ),
                        user=user,
                    ),
                )
            except services.BookingError as exc:
                error, status = exc.message, exc.status
            else:
                return redirect("appointments:manage", token=manage_token(booking))
        else:
            status = 400
    return render(
        request,
        "appointments/book.html",
        {
            "service": service,
            "location": location,
            "start": start,
            "end": start + dt.timedelta(minutes=service.duration_minutes),
            "form": form,
            "error": error,
            "user_email": user.email if user else "",
        },
        status=status,
    )


def _booking_or_404(token: str) -> Booking:
    booking = booking_for_manage_token(token)
    if booking is None:
        raise Http404("no such booking")
    return booking


@require_safe
def manage(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    return render(
        request,
        "appointments/manage.html",
        {"booking": booking, "token": token, "error": request.GET.get("error", "")},
    )


def _manage_error(
    request: HttpRequest, booking: Booking, token: str, exc: services.BookingError
) -> HttpResponse:
    return render(
        request,
        "appointments/manage.html",
        {"booking": booking, "token": token, "error": exc.message},
        status=exc.status,
    )


@require_safe
def calendar(request: HttpRequest, token: str) -> HttpResponse:
    """The booking as a calendar file (the same event the e-mails attach)."""
    booking = _booking_or_404(token)
    if booking.status not in (
        Booking.Status.PENDING,
        Booking.Status.CONFIRMED,
        Booking.Status.CANCELLED,
    ):
        raise Http404("no such appointment")
    cancelled = booking.status == Booking.Status.CANCELLED
    method = "CANCEL" if cancelled else "PUBLISH"
    response = HttpResponse(
        calendar_file(town=current_town(), booking=booking, cancel=cancelled),
        content_type=f"text/calendar; charset=utf-8; method={method}",
    )
    response["Content-Disposition"] = f'attachment; filename="termin-{booking.reference}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    try:
        services.appointment_cancel(town=current_town(), booking=booking)
    except services.BookingError as exc:
        return _manage_error(request, booking, token, exc)
    return redirect("appointments:manage", token=token)


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_POST
def move(request: HttpRequest, token: str) -> HttpResponse:
    booking = _booking_or_404(token)
    start = _parse_start(request.POST.get("start"))
    if start is None:
        return _manage_error(
            request, booking, token, services.BookingError("invalid", _("Bitte eine Zeit wählen."))
        )
    try:
        service, location = selectors.move_target(
            booking=booking,
            service_id=_int_or_none(request.POST.get("service")),
            location_id=_int_or_none(request.POST.get("location")),
        )
        services.appointment_move(
            town=current_town(), booking=booking, start=start, location=location, service=service
        )
    except services.BookingError as exc:
        return _manage_error(request, booking, token, exc)
    return redirect("appointments:manage", token=token)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    # Confirming takes a click (POST): mail scanners that open links must not confirm.
    booking = booking_for_confirm_token(token)
    if booking is None:
        raise Http404("no such booking")
    error = ""
    status = 200
    if request.method == "POST":
        try:
            booking = services.appointment_confirm(booking=booking)
        except services.BookingError as exc:
            error, status = exc.message, exc.status
        else:
            return redirect("appointments:manage", token=manage_token(booking))
    return render(
        request,
        "appointments/confirm.html",
        {"booking": booking, "error": error},
        status=status,
    )


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    bookings = [
        (booking, manage_token(booking))
        for booking in selectors.bookings_of_user(user=request.user)
    ]
    return render(request, "appointments/mine.html", {"bookings": bookings})
