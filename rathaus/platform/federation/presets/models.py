"""Vendor presets for state-account settings (public schema), applied to many towns."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.platform.federation.models import Protocol, TrustLevel


class FederationPreset(models.Model):
    """A known state-account provider, e.g. "Servicekonto Sachsen-Anhalt" or "BundID".

    Holds no secret: a town's client secret and its own SP keys are set per town.
    """

    key = models.SlugField(_("Schlüssel"), max_length=64, unique=True)
    name = models.CharField(_("Anzeigename"), max_length=100)
    protocol = models.CharField(_("Protokoll"), max_length=8, choices=Protocol.choices)
    saml_metadata_url = models.URLField(_("Metadaten-URL des IdP"), blank=True)
    oidc_issuer = models.URLField(_("Issuer"), blank=True)
    oidc_scopes = models.CharField(_("Scopes"), max_length=300, blank=True)
    requested_attributes = models.JSONField(_("angefragte Attribute"), default=list, blank=True)
    attribute_mapping = models.JSONField(_("Zuordnung der Attribute"), default=dict, blank=True)
    trust_level = models.CharField(
        _("nötiges Vertrauensniveau"),
        max_length=16,
        choices=TrustLevel.choices,
        default=TrustLevel.SUBSTANTIAL,
    )

    class Meta:
        verbose_name = _("Landeskonto-Vorlage")
        verbose_name_plural = _("Landeskonto-Vorlagen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
