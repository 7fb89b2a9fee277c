"""The vendor's own tables (public schema)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VendorToken(models.Model):
    """A vendor staff member's key for the vendor REST API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        "identity.User", on_delete=models.CASCADE, related_name="vendor_tokens"
    )
    name = models.CharField(_("Bezeichnung"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made when this model lived in the tenancy kernel; the table kept its name.
        db_table = "tenants_vendortoken"
        verbose_name = _("API-Schlüssel des Betreibers")
        verbose_name_plural = _("API-Schlüssel des Betreibers")

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"


class AuditAnchor(models.Model):
    """The head of a town's audit chain at one moment, kept outside the town's schema.

    An anchored entry that later is missing or different proves that the town's log was
    cut off or rewritten, which the chain alone cannot show for its last entries. Each
    anchor is also written to the log, so a copy lies outside this database.
    """

    town = models.ForeignKey(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="audit_anchors"
    )
    entry_id = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["town", "entry_id"], name="one_anchor_per_entry")
        ]

    def __str__(self) -> str:
        return f"{self.town_id}#{self.entry_id}"
