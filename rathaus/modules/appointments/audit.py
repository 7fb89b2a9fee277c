"""Appointments' words in the town's audit log, and what switching the module off means."""

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rathaus.tenants.models import Municipality

from .models import Booking, Location, Service
from .selectors import booking_rules, local_zone


def _booking(uuid: str) -> str:
    """ "„Personalausweis beantragen“ am 03.12.2026 um 10:00" (or "einen Termin" once gone)."""
    booking = Booking.objects.filter(uuid=uuid).select_related("service").first() if uuid else None
    if booking is None:
        return _("einen Termin")
    start = timezone.localtime(booking.start, local_zone())
    return _("den Termin „%(service)s“ am %(day)s um %(time)s") % {
        "service": booking.service.name,
        "day": start.strftime("%d.%m.%Y"),
        "time": start.strftime("%H:%M"),
    }


def _config_thing(target: str, created: bool) -> str:
    """A config target ``<model>:<pk>:<str>`` as "den Standort „Bürgerbüro“"."""
    model, _pk, name = ([*target.split(":", 2), "", ""])[:3]
    things = {
        Location._meta.model_name: (_("den Standort „%(name)s“"), _("einen Standort")),
        Service._meta.model_name: (_("die Dienstleistung „%(name)s“"), _("eine Dienstleistung")),
    }
    named, unnamed = things.get(model, (_("„%(name)s“"), _("einen Eintrag")))
    return named % {"name": name} if name else unnamed


def appointments_audit_words(
    *, action: str, target: str, before: Any, after: Any, actor: str
) -> str | None:
    values = {"actor": actor}
    if action == "appointments.cancel":
        return _("%(actor)s hat %(booking)s abgesagt.") % {**values, "booking": _booking(target)}
    if action == "appointments.no_show":
        booking = _booking(target)
        if after == Booking.Status.NO_SHOW:
            return _("%(actor)s hat %(booking)s als „nicht erschienen“ vermerkt.") % {
                **values,
                "booking": booking,
            }
        return _("%(actor)s hat den Vermerk „nicht erschienen“ für %(booking)s zurückgenommen.") % {
            **values,
            "booking": booking,
        }
    if action in ("appointments.config.create", "appointments.config.change"):
        created = action.endswith(".create")
        thing = _config_thing(target, created)
        if created:
            return _("%(actor)s hat %(thing)s angelegt.") % {**values, "thing": thing}
        return _("%(actor)s hat %(thing)s geändert.") % {**values, "thing": thing}
    return None


def appointments_switch_off_consequences(*, town: Municipality) -> list[str]:
    """What really happens when a town switches appointments off (nothing is deleted).

    The module's pages and API answer 404 (citizens' booking, manage and confirm
    links included), its periodic tasks skip the town (no reminders), and the
    bookings stay as they are: nobody cancels them or tells the citizens.
    """
    now = timezone.now()
    upcoming = (
        Booking.objects.filter(
            status__in=[Booking.Status.PENDING, Booking.Status.CONFIRMED], end__gt=now
        )
        .exclude(Q(status=Booking.Status.PENDING) & Q(hold_until__lt=now))
        .count()
    )
    said = []
    if upcoming:
        said.append(
            ngettext(
                "%(n)s offener Termin bleibt bestehen: Er wird nicht abgesagt, und niemand "
                "wird benachrichtigt. Sagen Sie ihn vorher ab, wenn er nicht stattfinden soll.",
                "%(n)s offene Termine bleiben bestehen: Sie werden nicht abgesagt, und niemand "
                "wird benachrichtigt. Sagen Sie sie vorher ab, wenn sie nicht stattfinden sollen.",
                upcoming,
            )
            % {"n": upcoming}
        )
        if booking_rules(town=town).reminders:
            said.append(_("Erinnerungen am Vortag werden nicht mehr verschickt."))
    else:
        said.append(_("Es gibt keine offenen Termine."))
    said.append(
        _(
            "Niemand kann mehr online einen Termin buchen, absagen oder verschieben, "
            "auch nicht über die Links in den E-Mails."
        )
    )
    said.append(
        _("Die Terminverwaltung mit Tages- und Wochenansicht ist für Ihr Team nicht erreichbar.")
    )
    return said
