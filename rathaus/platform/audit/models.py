"""Audit entries live in each town's own schema; the database refuses to change them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class ActorKind(models.TextChoices):
        STAFF = "staff", _("Mitarbeiter der Kommune")
        VENDOR = "vendor", _("Betreiber")
        SYSTEM = "system", _("System")

    created_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True, db_index=True)
    actor_kind = models.CharField(_("Art"), max_length=10, choices=ActorKind.choices)
    actor = models.CharField(_("Wer"), max_length=254)
    action = models.CharField(_("Aktion"), max_length=100, db_index=True)
    target = models.CharField(_("Gegenstand"), max_length=200, blank=True)
    before = models.JSONField(_("vorher"), null=True, blank=True)
    after = models.JSONField(_("nachher"), null=True, blank=True)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
