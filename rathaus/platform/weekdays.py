"""The days of the week as choices, Monday first (``date.weekday()`` numbering)."""

from django.utils.translation import gettext_lazy as _

WEEKDAYS = [
    (0, _("Montag")),
    (1, _("Dienstag")),
    (2, _("Mittwoch")),
    (3, _("Donnerstag")),
    (4, _("Freitag")),
    (5, _("Samstag")),
    (6, _("Sonntag")),
]
