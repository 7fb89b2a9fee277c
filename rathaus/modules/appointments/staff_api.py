"""REST API for the town's staff: bookings per location and day, no-shows, cancelling, statistics.

The same services as the back office pages, for a clerk's tablet at the
counter. Only staff with a role in appointments (or the town's admins) get in.
"""

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rathaus.platform.api.query import query_validated
from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import module_staff
from rathaus.tenants.current import current_town

from . import selectors, services
from .api_views import ERRORS, _error
from .models import Booking, Location

MAX_RANGE_DAYS = 62


class RangeQuery(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day (default: today)")
    end = serializers.DateField(required=False, help_text="Last day (default: the first day)")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start = attrs.get("start") or timezone.localdate()
        end = attrs.get("end") or start
        if end < start:
            raise serializers.ValidationError({"end": [_("Der letzte Tag liegt vor dem ersten.")]})
        if (end - start).days >= MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"end": [_("Höchstens %(days)s Tage auf einmal.") % {"days": MAX_RANGE_DAYS}]}
            )
        return {"start": start, "end": end}


class StaffBookingSerializer(serializers.ModelSerializer[Booking]):
    service = serializers.CharField(source="service.name", read_only=True)

    class Meta:
        model = Booking
        fields = [
            "uuid",
            "reference",
            "service",
            "location",
            "counter",
            "start",
            "end",
            "status",
            "name",
            "email",
            "phone",
        ]


class NoShowRequest(serializers.Serializer):
    no_show = serializers.BooleanField(help_text="true: did not come; false: undo")


class StatisticsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    by_service = serializers.DictField(child=serializers.IntegerField())
    no_show_rate = serializers.FloatField()
    utilisation = serializers.FloatField()


def _range(request: Request) -> tuple[dt.date, dt.date]:
    query = query_validated(RangeQuery, request)
    return query["start"], query["end"]


class StaffView(APIView):
    permission_classes = [module_staff("appointments")]


class LocationBookings(StaffView):
    @extend_schema(
        parameters=[RangeQuery],
        responses=StaffBookingSerializer(many=True),
        summary="Staff: the bookings of a location, by time",
    )
    def get(self, request: Request, location_id: int) -> Response:
        location = get_object_or_404(Location, pk=location_id)
        start, end = _range(request)
        bookings = selectors.bookings_between(location=location, start=start, end=end)
        return Response(StaffBookingSerializer(bookings, many=True).data)


class LocationStatistics(StaffView):
    @extend_schema(
        parameters=[RangeQuery],
        responses=StatisticsSerializer,
        summary="Staff: counts, no-show rate and utilisation of a location",
    )
    def get(self, request: Request, location_id: int) -> Response:
        location = get_object_or_404(Location, pk=location_id)
        start, end = _range(request)
        stats = selectors.booking_statistics(
            town=current_town(), location=location, start=start, end=end
        )
        return Response(
            {
                "total": stats["total"],
                "by_status": stats["by_status_code"],
                "by_service": {row["service__name"]: row["n"] for row in stats["by_service"]},
                "no_show_rate": stats["no_show_rate"],
                "utilisation": stats["utilisation"],
            }
        )


class BookingNoShow(StaffView):
    @extend_schema(
        request=NoShowRequest,
        responses={200: StaffBookingSerializer, **ERRORS},
        summary="Staff: mark that a citizen did not come (or undo it)",
    )
    def post(self, request: Request, booking_uuid: str) -> Response:
        booking = get_object_or_404(Booking, uuid=booking_uuid)
        data = NoShowRequest(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            booking = services.appointment_mark_no_show(
                town=current_town(),
                booking=booking,
                no_show=data.validated_data["no_show"],
                actor=request_actor(request),
            )
        except services.BookingError as exc:
            return _error(exc)
        return Response(StaffBookingSerializer(booking).data)


class BookingCancel(StaffView):
    @extend_schema(
        request=None,
        responses={200: StaffBookingSerializer, **ERRORS},
        summary="Staff: cancel an open booking until it ends (the citizen is told by e-mail)",
    )
    def post(self, request: Request, booking_uuid: str) -> Response:
        booking = get_object_or_404(Booking, uuid=booking_uuid)
        try:
            booking = services.appointment_cancel(
                town=current_town(), booking=booking, actor=request_actor(request)
            )
        except services.BookingError as exc:
            return _error(exc)
        return Response(StaffBookingSerializer(booking).data)
