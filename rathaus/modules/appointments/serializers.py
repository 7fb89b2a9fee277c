"""The town-wide settings of appointments, and the API's representations."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rathaus.modules.registry import DurationMinutes

from .models import Booking, Location, Service


class AppointmentSettings(serializers.Serializer):
    """Booking rules for the whole town (locations and services are configured as data)."""

    booking_horizon_days = serializers.IntegerField(
        label=_("Buchbar für die nächsten Tage"), min_value=1, max_value=365, default=42
    )
    min_notice_minutes = DurationMinutes(
        label=_("Frühestens buchbar ab jetzt in"),
        help_text=_("Vorlauf, den Sie zur Vorbereitung brauchen, z. B. 2 Std."),
        min_value=0,
        max_value=20160,
        default=120,
    )
    cancel_notice_minutes = DurationMinutes(
        label=_("Absagen und Verschieben bis vor Beginn"),
        help_text=_("Danach können Bürgerinnen und Bürger den Termin nicht mehr online ändern."),
        min_value=0,
        max_value=20160,
        default=60,
    )
    guest_hold_minutes = DurationMinutes(
        label=_("Zeit, die ein Gast zum Bestätigen hat"),
        help_text=_(
            "So lange bleibt ein Termin ohne Konto reserviert, bis er per E-Mail bestätigt ist."
        ),
        min_value=5,
        max_value=1440,
        default=30,
    )
    max_open_bookings = serializers.IntegerField(
        label=_("Offene Termine je Person höchstens"), min_value=1, max_value=50, default=3
    )
    reminders = serializers.BooleanField(label=_("Erinnerung am Vortag senden"), default=True)


class LocationSerializer(serializers.ModelSerializer[Location]):
    class Meta:
        model = Location
        fields = ["id", "name", "address", "directions", "slot_minutes"]


class ServiceSerializer(serializers.ModelSerializer[Service]):
    documents = serializers.ListField(
        child=serializers.CharField(), source="document_list", read_only=True
    )
    locations = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = ["id", "name", "description", "duration_minutes", "documents", "locations"]

    def get_locations(self, service: Service) -> list[int]:
        return [location.pk for location in service.locations.all() if location.is_active]


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    free = serializers.IntegerField(help_text="Places still free at this time")


class LocationQuerySerializer(serializers.Serializer):
    service = serializers.IntegerField(
        required=False, min_value=1, help_text="Only locations offering it"
    )


class SlotQuerySerializer(serializers.Serializer):
    service = serializers.IntegerField()
    location = serializers.IntegerField()
    start = serializers.DateField(required=False, help_text="First day (default: today)")
    days = serializers.IntegerField(required=False, min_value=1, max_value=62, default=28)


class BookingRequestSerializer(serializers.Serializer):
    service = serializers.IntegerField()
    location = serializers.IntegerField()
    start = serializers.DateTimeField()
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        user = self.context["request"].user
        if not user.is_authenticated:
            missing = {
                field: [_("Bitte angeben.")] for field in ("name", "email") if not attrs[field]
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class MoveRequestSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    location = serializers.IntegerField(
        required=False, help_text="Move to this location (default: the booking's)"
    )
    service = serializers.IntegerField(
        required=False, help_text="Change to this service (default: the booking's)"
    )


class BookingSerializer(serializers.ModelSerializer[Booking]):
    service = ServiceSerializer(read_only=True)
    location = LocationSerializer(read_only=True)
    token = serializers.SerializerMethodField(
        help_text="Signed reference: cancel and move the booking with it"
    )

    class Meta:
        model = Booking
        fields = [
            "token",
            "reference",
            "service",
            "location",
            "start",
            "end",
            "status",
            "name",
            "email",
        ]

    def get_token(self, booking: Booking) -> str:
        from .tokens import manage_token

        return manage_token(booking)
