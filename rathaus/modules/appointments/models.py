"""Appointments at the town hall, in each town's own schema.

Capacity is enforced by PostgreSQL: every booking occupies one counter of a
location for ``[start, end)``, and an exclusion constraint forbids two live
bookings on the same counter that overlap in time. A location with ``n``
counters open therefore never holds more than ``n`` bookings at once, however
many requests race for the last place.
"""

import secrets
import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Func, Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from rathaus.platform.catalogue.life_situations import life_situation_choices
from rathaus.platform.weekdays import WEEKDAYS

from .references import reference_new


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class Location(models.Model):
    """A place citizens come to, e.g. the Bürgerbüro, with its counters."""

    name = models.CharField(_("Name"), max_length=200)
    address = models.TextField(_("Anschrift"), blank=True)
    directions = models.TextField(_("Hinweise zur Anfahrt"), blank=True)
    counters = models.PositiveSmallIntegerField(
        _("Schalter"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("So viele Termine können gleichzeitig stattfinden."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("Zeitraster in Minuten"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text=_("Termine beginnen in diesem Abstand, z. B. alle 15 Minuten."),
    )
    is_active = models.BooleanField(_("buchbar"), default=True)

    class Meta:
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def map_url(self) -> str:
        """The place on OpenStreetMap, found by its name and address ("" without an address)."""
        if not self.address.strip():
            return ""
        lines = [line.strip() for line in self.address.splitlines() if line.strip()]
        return "https://www.openstreetmap.org/search?" + urlencode({"query": ", ".join(lines)})


def service_slug(name: str, *, taken: "set[str] | frozenset[str]" = frozenset()) -> str:
    """An address for a service's page from its name, not one of ``taken``."""
    base = slugify(name.replace("ß", "ss"))[:90] or "leistung"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


class Service(models.Model):
    """A service citizens book a time for, e.g. "Personalausweis beantragen".

    Every bookable service is an entry of the town's service catalogue (its
    home page and search): ``slug`` is its page's address and stays when the
    name changes; fee, processing time, life situations and keywords are
    what the page and the search show.
    """

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(
        _("Adresse der Seite"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_(
            "Teil der Adresse der Leistungsseite, z. B. „personalausweis-beantragen“. "
            "Leer: aus dem Namen. Bleibt gleich, wenn sich der Name ändert."
        ),
    )
    summary = models.CharField(
        _("Kurzbeschreibung"),
        max_length=300,
        blank=True,
        help_text=_("Ein Satz für die Übersicht und die Suche."),
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    life_situations = ArrayField(
        models.CharField(max_length=50, choices=life_situation_choices()),
        verbose_name=_("Lebenslagen"),
        default=list,
        blank=True,
    )
    keywords = models.CharField(
        _("Suchbegriffe"),
        max_length=500,
        blank=True,
        help_text=_(
            "Weitere Wörter, unter denen man die Leistung sucht, durch Kommas getrennt, "
            "gern auch auf Englisch, z. B. „Perso, Ausweis, ID card“."
        ),
    )
    fee = models.DecimalField(
        _("Gebühr in Euro"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Leer: keine Angabe. 0: kostenlos."),
    )
    fee_note = models.CharField(
        _("Gebühr als Text"),
        max_length=200,
        blank=True,
        help_text=_(
            "Wenn die Gebühr abhängt, z. B. „37,00 €, unter 24 Jahren 22,80 €“. "
            "Wird statt des Betrags gezeigt."
        ),
    )
    processing_time = models.CharField(
        _("Bearbeitungsdauer"),
        max_length=200,
        blank=True,
        help_text=_("Bis die Sache erledigt ist, z. B. „etwa 3 bis 4 Wochen“."),
    )
    popular = models.BooleanField(
        _("häufig gefragt"),
        default=False,
        help_text=_("Auf der Startseite unter den häufig gefragten Leistungen zeigen."),
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("Dauer in Minuten"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(480)],
    )
    documents = models.TextField(
        _("Mitzubringende Unterlagen"), blank=True, help_text=_("Eine Unterlage je Zeile.")
    )
    locations = models.ManyToManyField(
        Location, verbose_name=_("Standorte"), related_name="services", blank=True
    )
    is_active = models.BooleanField(_("buchbar"), default=True)

    class Meta:
        verbose_name = _("Dienstleistung")
        verbose_name_plural = _("Dienstleistungen")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        if not self.slug:
            taken = set(Service.objects.exclude(pk=self.pk).values_list("slug", flat=True))
            self.slug = service_slug(self.name, taken=taken)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class OpeningHours(models.Model):
    """A weekly opening period of a location; several per weekday are allowed."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(_("Wochentag"), choices=WEEKDAYS)
    opens = models.TimeField(_("von"))
    closes = models.TimeField(_("bis"))
    counters = models.PositiveSmallIntegerField(
        _("Schalter in dieser Zeit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Leer: alle Schalter des Standorts."),
    )

    class Meta:
        verbose_name = _("Öffnungszeit")
        verbose_name_plural = _("Öffnungszeiten")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=models.F("closes")), name="hours_open_before_close"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningException(models.Model):
    """A date on which a location is closed or open at other times than usual.

    ``closed``: no appointments that day. Otherwise ``opens``/``closes`` replace
    the weekly hours of that day (e.g. a long Thursday before Christmas).
    """

    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        related_name="exceptions",
        null=True,
        blank=True,
        help_text=_("Leer: gilt für alle Standorte."),
        verbose_name=_("Standort"),
    )
    date = models.DateField(_("Datum"))
    closed = models.BooleanField(_("geschlossen"), default=True)
    opens = models.TimeField(_("von"), null=True, blank=True)
    closes = models.TimeField(_("bis"), null=True, blank=True)
    reason = models.CharField(_("Grund"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Abweichende Öffnungszeit")
        verbose_name_plural = _("Abweichende Öffnungszeiten")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=models.F("closes")),
                name="exception_closed_or_hours",
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.reason}"


def _new_secret() -> str:
    return secrets.token_urlsafe(16)


class Booking(models.Model):
    """One appointment: a citizen at one counter of a location for ``[start, end)``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Bestätigung")
        CONFIRMED = "confirmed", _("bestätigt")
        CANCELLED = "cancelled", _("storniert")
        EXPIRED = "expired", _("verfallen")
        NO_SHOW = "no_show", _("nicht erschienen")

    # Statuses that hold a counter; the exclusion constraint ignores the others.
    LIVE = (Status.PENDING, Status.CONFIRMED, Status.NO_SHOW)
    # Hand-written SQL that asks which bookings hold a counter in a time range
    # says it like the constraint does, so PostgreSQL answers from the
    # constraint's GiST index instead of walking a location's whole history.
    HOLDS_COUNTER_SQL = (
        "{b}status <> 'cancelled' AND {b}status <> 'expired'"
        ' AND tstzrange({b}start, {b}"end") && tstzrange(%(start)s, %(end)s)'
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Part of every signed link, so a link dies when the booking is re-issued.
    secret = models.CharField(max_length=32, default=_new_secret, editable=False)
    # What the citizen quotes and staff look up ("T-7KQ4-2M"); unique in the town.
    reference = models.CharField(
        _("Buchungsnummer"), max_length=12, unique=True, default=reference_new, editable=False
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="bookings")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="bookings")
    counter = models.PositiveSmallIntegerField(_("Schalter"))
    start = models.DateTimeField(_("Beginn"))
    end = models.DateTimeField(_("Ende"))
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.CONFIRMED
    )
    # A guest's booking holds its place until then, unless confirmed by e-mail.
    hold_until = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointments",
    )
    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"))
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    # The language the citizen booked in: every e-mail about the booking is written in it.
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Termin")
        verbose_name_plural = _("Termine")
        ordering = ["start", "counter"]
        indexes = [
            models.Index(fields=["location", "start"], name="booking_location_start"),
            models.Index(fields=["email"], name="booking_email"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=models.F("end")), name="booking_order"),
            models.CheckConstraint(condition=Q(counter__gte=1), name="booking_counter_positive"),
            ExclusionConstraint(
                name="booking_one_per_counter",
                # The time range first: a GiST index is organised by its first
                # column, and "which bookings overlap this time" is the question
                # every booking asks (with location first, a location's whole
                # history was read: 5 ms at 200,000 bookings, now 0.1 ms).
                expressions=[
                    (TsTzRange("start", "end"), RangeOperators.OVERLAPS),
                    ("location", RangeOperators.EQUAL),
                    ("counter", RangeOperators.EQUAL),
                ],
                # Written as two inequalities, not IN (...): PostgreSQL prints an
                # IN list differently after a dump and replay, and town schemas
                # are provisioned by replaying a dump (rathaus.tenants.provisioning).
                condition=~Q(status="cancelled") & ~Q(status="expired"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.start:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE
