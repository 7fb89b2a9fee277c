"""Which modules serve which town: one row per town and module, in the public schema."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ModuleActivation(models.Model):
    """The two gates of a module for one town, and the town's settings for it.

    ``allowed`` is the vendor's gate (plan, billing); ``enabled`` the town
    admin's. A module serves the town only while both are true.
    """

    town = models.ForeignKey(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="module_activations"
    )
    module = models.CharField(_("Dienst"), max_length=50)
    allowed = models.BooleanField(_("vom Betreiber freigegeben"), default=False)
    enabled = models.BooleanField(_("von der Kommune eingeschaltet"), default=False)
    settings = models.JSONField(_("Einstellungen"), default=dict, blank=True)
    # eIDAS level a citizen must have proven through the state account ("" = none).
    required_trust_level = models.CharField(
        _("nötiges Vertrauensniveau"), max_length=20, blank=True, default=""
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Dienst einer Kommune")
        verbose_name_plural = _("Dienste der Kommunen")
        constraints = [
            models.UniqueConstraint(fields=["town", "module"], name="one_activation_per_module")
        ]

    def __str__(self) -> str:
        return f"{self.module} @ {self.town_id}"

    @property
    def is_active(self) -> bool:
        return self.allowed and self.enabled
