"""The appointments data of a town as plain tables, for the offboarding archive."""

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from rathaus.platform.weekdays import WEEKDAYS

from .models import Booking, Location, OpeningException, OpeningHours, Service
from .selectors import local_zone


def _plain(value: Any) -> Any:
    """Moments in local time, dates, times and UUIDs as ISO text; everything else as it is."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, local_zone()).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def _rows(rows: Any) -> list[dict[str, Any]]:
    return [{name: _plain(value) for name, value in row.items()} for row in rows]


def appointments_town_export() -> dict[str, list[dict[str, Any]]]:
    """Locations, services (with the locations offering them), opening hours, exceptions
    and every booking, in the current town."""
    offered: dict[int, list[int]] = {}
    for service_id, location_id in Service.locations.through.objects.order_by(
        "service_id", "location_id"
    ).values_list("service_id", "location_id"):
        offered.setdefault(service_id, []).append(location_id)
    services = _rows(
        Service.objects.order_by("pk").values(
            "id", "name", "description", "duration_minutes", "documents", "is_active"
        )
    )
    for service in services:
        service["location_ids"] = offered.get(service["id"], [])
    hours = _rows(
        OpeningHours.objects.order_by("location_id", "weekday", "opens").values(
            "location_id", "weekday", "opens", "closes", "counters"
        )
    )
    names = dict(WEEKDAYS)
    for row in hours:
        row["weekday_name"] = str(names[row["weekday"]])
    return {
        "locations": _rows(
            Location.objects.order_by("pk").values(
                "id", "name", "address", "directions", "counters", "slot_minutes", "is_active"
            )
        ),
        "services": services,
        "opening_hours": hours,
        "opening_exceptions": _rows(
            OpeningException.objects.order_by("date", "pk").values(
                "location_id", "date", "closed", "opens", "closes", "reason"
            )
        ),
        "bookings": _rows(
            Booking.objects.order_by("start", "pk")
            .values(
                "reference",
                "uuid",
                "service_id",
                "location_id",
                "counter",
                "start",
                "end",
                "status",
                "name",
                "email",
                "phone",
                "created_at",
                service_name=F("service__name"),
                location_name=F("location__name"),
            )
            .iterator(chunk_size=2000)
        ),
    }
