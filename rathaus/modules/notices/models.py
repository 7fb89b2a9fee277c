"""Bulk notices: templates, runs (one uploaded file) and their recipients, print jobs."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Template(models.Model):
    """A notice template of the town: letterhead and a body with ``{placeholders}``."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    subject = models.CharField(
        _("Betreff"), max_length=200, help_text=_("Platzhalter wie {name} sind erlaubt.")
    )
    body = models.TextField(
        _("Text"),
        help_text=_(
            "Absätze durch Leerzeilen trennen; Platzhalter in geschweiften Klammern, z. B. "
            "{name}, {betrag}, {grundstueck}: die Spalten der Datei."
        ),
    )
    sender_line = models.CharField(
        _("Absenderzeile"),
        max_length=90,
        help_text=_("Die kleine Zeile über der Anschrift, z. B. „Stadt … · Markt 1 · 39517 …“."),
    )
    office = models.CharField(_("Dienststelle"), max_length=120, blank=True)
    contact = models.TextField(_("Kontakt"), blank=True, help_text=_("Eine Angabe je Zeile."))
    bank_details = models.TextField(
        _("Bankverbindung"), blank=True, help_text=_("Eine Angabe je Zeile.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Bescheidvorlage")
        verbose_name_plural = _("Bescheidvorlagen")

    def __str__(self) -> str:
        return self.name


class Run(models.Model):
    """One uploaded file of recipients with its template, from check to report."""

    class State(models.TextChoices):
        CHECKED = "checked", _("geprüft, wartet auf Freigabe")
        RELEASED = "released", _("freigegeben, läuft")
        PAUSED = "paused", _("angehalten")
        DONE = "done", _("abgeschlossen")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="runs")
    filename = models.CharField(_("Datei"), max_length=200)
    state = models.CharField(max_length=16, choices=State.choices, default=State.CHECKED)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("Versandlauf")
        verbose_name_plural = _("Versandläufe")

    def __str__(self) -> str:
        return f"{self.filename} ({self.public_id})"

    @property
    def group(self) -> str:
        """The outbox group of the run's messages."""
        return f"notices.run:{self.pk}"


class Recipient(models.Model):
    """One row of the file: who gets the notice, where it goes, what it says."""

    class Route(models.TextChoices):
        MAILBOX = "mailbox", _("Postfach")
        PRINT = "print", _("Brief")

    class State(models.TextChoices):
        WAITING = "waiting", _("wartet")
        HANDED_OVER = "handed_over", _("übergeben")

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="recipients")
    line = models.PositiveIntegerField()
    recipient_key = models.CharField(max_length=100)
    name = models.CharField(max_length=200)
    street = models.CharField(max_length=200)
    postcode = models.CharField(max_length=5)
    city = models.CharField(max_length=100)
    values = models.JSONField(default=dict)
    route = models.CharField(max_length=8, choices=Route.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # One per recipient and run: the outbox key the notice is delivered under, once.
    idempotency_key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.WAITING)
    claimed_by = models.CharField(max_length=64, blank=True)
    preflight = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["run", "line"]
        constraints = [
            models.UniqueConstraint(fields=["run", "recipient_key"], name="notices_key_once")
        ]
        indexes = [models.Index(fields=["run", "state"], name="notices_run_state")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.line} {self.recipient_key}"

    @property
    def address_lines(self) -> list[str]:
        return [self.name, self.street, f"{self.postcode} {self.city}"]


class PrintJob(models.Model):
    """A letter handed to a print partner: its id there, its status, its posting date."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("angenommen")
        PRINTING = "printing", _("im Druck")
        POSTED = "posted", _("eingeliefert")
        UNDELIVERABLE = "undeliverable", _("unzustellbar")
        CANCELLED = "cancelled", _("storniert")

    # The outbox key of the letter (a run's recipient, or a mailbox fall-back).
    key = models.CharField(max_length=200, unique=True)
    partner = models.CharField(max_length=40)
    partner_id = models.CharField(max_length=100)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACCEPTED)
    posted_on = models.DateField(_("eingeliefert am"), null=True, blank=True)
    handed_over_at = models.DateTimeField(default=timezone.now)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.partner}:{self.partner_id} {self.status}"
