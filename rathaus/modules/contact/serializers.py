"""The town's contact details and opening hours, validated per town."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from rathaus.platform.weekdays import WEEKDAYS


class OpeningHoursSerializer(serializers.Serializer):
    weekday = serializers.ChoiceField(choices=WEEKDAYS, label=_("Wochentag"))
    opens = serializers.TimeField(label=_("von"), format="%H:%M")
    closes = serializers.TimeField(label=_("bis"), format="%H:%M")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["opens"] >= attrs["closes"]:
            raise serializers.ValidationError(
                _("Die Öffnungszeit muss vor der Schließzeit liegen.")
            )
        return attrs


class ContactSettings(serializers.Serializer):
    office = serializers.CharField(
        label=_("Dienststelle"), max_length=200, default="Bürgerbüro", allow_blank=False
    )
    address = serializers.CharField(
        label=_("Anschrift"), max_length=300, default="", allow_blank=True
    )
    phone = serializers.RegexField(
        r"^\+?[0-9 ()/-]{5,30}$",
        label=_("Telefon"),
        default="",
        allow_blank=True,
        error_messages={"invalid": _("Bitte eine Telefonnummer aus Ziffern angeben.")},
    )
    email = serializers.EmailField(label=_("E-Mail"), default="", allow_blank=True)
    opening_hours = OpeningHoursSerializer(many=True, label=_("Öffnungszeiten"), default=list)
