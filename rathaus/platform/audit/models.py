"""Audit entries live in each town's own schema; the database refuses to change them.

Each entry carries the hash of the one before it (a chain the database writes itself,
migration 0003): an entry rewritten or removed, even by a superuser, breaks the chain
at that entry, and the vendor's anchors (``vendor.AuditAnchor``) show entries cut
off at the end. ``rathaus.platform.audit.chain`` verifies it.
"""

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
    # Written by the database's insert trigger, never by Django: SHA-256 (hex) of the
    # previous entry's hash and this entry's fields (audit_entry_digest).
    previous_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    entry_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokoll")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action}"
