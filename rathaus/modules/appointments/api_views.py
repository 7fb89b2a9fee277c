"""REST API for the mobile app: services, locations, free slots, booking, cancel, move."""

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rathaus.platform.abuse.limits import rate_limit
from rathaus.platform.api.errors import ErrorSerializer
from rathaus.platform.api.query import query_validated
from rathaus.platform.oauth.permissions import AppScope
from rathaus.tenants.current import current_town

from . import selectors, services
from .limits import BOOKING
from .models import Booking
from .serializers import (
    BookingRequestSerializer,
    BookingSerializer,
    LocationQuerySerializer,
    LocationSerializer,
    MoveRequestSerializer,
    ServiceSerializer,
    SlotQuerySerializer,
    SlotSerializer,
)
from .tokens import booking_for_manage_token

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="The request or the time is not bookable"),
    404: OpenApiResponse(ErrorSerializer, description="No such booking in this town"),
    409: OpenApiResponse(ErrorSerializer, description="The time was taken by someone else"),
    429: OpenApiResponse(ErrorSerializer, description="Too many bookings from this client"),
}


def _error(exc: services.BookingError) -> Response:
    return Response({"code": exc.code, "detail": exc.message}, status=exc.status)


def _not_found() -> Response:
    return Response(
        {"code": "not_found", "detail": _("Diesen Termin gibt es hier nicht.")},
        status=status.HTTP_404_NOT_FOUND,
    )


class ServiceList(APIView):
    permission_classes = [AllowAny, AppScope]
    oauth_scope = "appointments"

    @extend_schema(responses=ServiceSerializer(many=True), summary="Bookable services")
    def get(self, request: Request) -> Response:
        return Response(ServiceSerializer(selectors.bookable_services(), many=True).data)


class LocationList(APIView):
    permission_classes = [AllowAny, AppScope]
    oauth_scope = "appointments"

    @extend_schema(
        parameters=[LocationQuerySerializer],
        responses=LocationSerializer(many=True),
        summary="Bookable locations",
    )
    def get(self, request: Request) -> Response:
        query = query_validated(LocationQuerySerializer, request)
        service = None
        if query.get("service") is not None:
            service = get_object_or_404(selectors.bookable_services(), pk=query["service"])
        return Response(
            LocationSerializer(selectors.bookable_locations(service=service), many=True).data
        )


class SlotList(APIView):
    permission_classes = [AllowAny, AppScope]
    oauth_scope = "appointments"

    @extend_schema(
        parameters=[SlotQuerySerializer],
        responses={200: SlotSerializer(many=True), 400: ErrorSerializer},
        summary="Free times of a service at a location",
    )
    def get(self, request: Request) -> Response:
        query = query_validated(SlotQuerySerializer, request)
        service = get_object_or_404(selectors.bookable_services(), pk=query["service"])
        location = get_object_or_404(
            selectors.bookable_locations(service=service), pk=query["location"]
        )
        slots = selectors.free_slots(
            town=current_town(),
            service=service,
            location=location,
            start=query.get("start") or timezone.localdate(),
            days=query["days"],
        )
        return Response(SlotSerializer(slots, many=True).data)


@method_decorator(rate_limit(BOOKING, block=False), name="post")
class BookingList(APIView):
    oauth_scope = "appointments"

    def get_permissions(self) -> list[Any]:
        who = IsAuthenticated() if self.request.method == "GET" else AllowAny()
        return [who, AppScope()]

    @extend_schema(responses=BookingSerializer(many=True), summary="My upcoming bookings")
    def get(self, request: Request) -> Response:
        return Response(
            BookingSerializer(selectors.bookings_of_user(user=request.user), many=True).data
        )

    @extend_schema(
        request=BookingRequestSerializer,
        responses={201: BookingSerializer, **ERRORS},
        summary="Book a time",
        description=(
            "Logged in: the booking is confirmed at once. As a guest (name and e-mail "
            "required) it holds the place until confirmed through the e-mail link."
        ),
    )
    def post(self, request: Request) -> Response:
        if getattr(request, "limited", False):
            return Response(
                {"code": "rate_limited", "detail": _("Zu viele Buchungen. Bitte später erneut.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        data = BookingRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        service = get_object_or_404(
            selectors.bookable_services(), pk=data.validated_data["service"]
        )
        location = get_object_or_404(
            selectors.bookable_locations(service=service), pk=data.validated_data["location"]
        )
        user = request.user if request.user.is_authenticated else None
        try:
            booking = services.appointment_book(
                town=current_town(),
                service=service,
                location=location,
                start=data.validated_data["start"],
                citizen=services.Citizen(
                    data.validated_data["name"],
                    user.email if user else data.validated_data["email"],
                    data.validated_data["phone"],
                ),
                user=user,
            )
        except services.BookingError as exc:
            return _error(exc)
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


def _booking(token: str) -> Booking | None:
    return booking_for_manage_token(token)


class BookingDetail(APIView):
    permission_classes = [AllowAny, AppScope]
    oauth_scope = "appointments"

    @extend_schema(responses={200: BookingSerializer, 404: ErrorSerializer}, summary="One booking")
    def get(self, request: Request, token: str) -> Response:
        booking = _booking(token)
        return Response(BookingSerializer(booking).data) if booking else _not_found()


class BookingCancel(APIView):
    permission_classes = [AllowAny, AppScope]
    oauth_scope = "appointments"

    @extend_schema(request=None, responses={200: BookingSerializer, **ERRORS}, summary="Cancel")
    def post(self, request: Request, token: str) -> Response:
        booking = _booking(token)
        if booking is None:
            return _not_found()
        try:
            booking = services.appointment_cancel(town=current_town(), booking=booking)
        except services.BookingError as exc:
            return _error(exc)
        return Response(BookingSerializer(booking).data)


class BookingMove(APIView):
    permission_classes = [AllowAny, AppScope]
    oauth_scope = "appointments"

    @extend_schema(
        request=MoveRequestSerializer,
        responses={200: BookingSerializer, **ERRORS},
        summary="Move",
        description="To another time, and optionally to another location or service.",
    )
    def post(self, request: Request, token: str) -> Response:
        booking = _booking(token)
        if booking is None:
            return _not_found()
        data = MoveRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            service, location = selectors.move_target(
                booking=booking,
                service_id=data.validated_data.get("service"),
                location_id=data.validated_data.get("location"),
            )
            booking = services.appointment_move(
                town=current_town(),
                booking=booking,
                start=data.validated_data["start"],
                location=location,
                service=service,
            )
        except services.BookingError as exc:
            return _error(exc)
        return Response(BookingSerializer(booking).data)
