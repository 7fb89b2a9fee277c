"""A town's state-account settings and the links of its accounts to state accounts.

These tables live in each town's schema, so one town's settings can never
serve a login on another town's host. Secrets are encrypted at rest
(django-fernet-encrypted-fields, keys derived from ``SECRET_KEY`` and
``SALT_KEY``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField


class Protocol(models.TextChoices):
    SAML = "saml", _("SAML 2.0")
    OIDC = "oidc", _("OpenID Connect")


class TrustLevel(models.TextChoices):
    """eIDAS levels of assurance, lowest first."""

    LOW = "low", _("niedrig (eIDAS low)")
    SUBSTANTIAL = "substantial", _("substanziell (eIDAS substantial)")
    HIGH = "high", _("hoch (eIDAS high)")


TRUST_ORDER = [TrustLevel.LOW, TrustLevel.SUBSTANTIAL, TrustLevel.HIGH]
# The eIDAS level URIs that SAML (AuthnContextClassRef) and OIDC (acr) both use.
EIDAS_LEVEL_URI = {
    TrustLevel.LOW: "http://eidas.europa.eu/LoA/low",
    TrustLevel.SUBSTANTIAL: "http://eidas.europa.eu/LoA/substantial",
    TrustLevel.HIGH: "http://eidas.europa.eu/LoA/high",
}


class IdentityProvider(models.Model):
    """How this town connects to a state account; at most one per protocol."""

    protocol = models.CharField(_("Protokoll"), max_length=8, choices=Protocol.choices, unique=True)
    name = models.CharField(_("Anzeigename"), max_length=100)
    enabled = models.BooleanField(_("aktiv"), default=False)

    saml_metadata_url = models.URLField(_("Metadaten-URL des IdP"), blank=True)
    saml_metadata_xml = models.TextField(_("Metadaten des IdP (XML)"), blank=True)
    sp_private_key = EncryptedTextField(_("privater Schlüssel des SP"), blank=True, null=True)
    sp_certificate = models.TextField(_("Zertifikat des SP"), blank=True)

    oidc_issuer = models.URLField(_("Issuer"), blank=True)
    oidc_client_id = models.CharField(_("Client-ID"), max_length=200, blank=True)
    oidc_client_secret = EncryptedCharField(
        _("Client-Secret"), max_length=500, blank=True, null=True
    )
    oidc_scopes = models.CharField(
        _("Scopes"), max_length=300, default="openid email profile", blank=True
    )

    requested_attributes = models.JSONField(_("angefragte Attribute"), default=list, blank=True)
    attribute_mapping = models.JSONField(
        _("Zuordnung der Attribute"),
        default=dict,
        blank=True,
        help_text=_('Kontofeld → Attribut/Claim, z. B. {"first_name": "given_name"}'),
    )
    trust_level = models.CharField(
        _("nötiges Vertrauensniveau"),
        max_length=16,
        choices=TrustLevel.choices,
        default=TrustLevel.SUBSTANTIAL,
    )
    preset_key = models.CharField(_("aus Vorlage"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Landeskonto-Anbindung")
        verbose_name_plural = _("Landeskonto-Anbindungen")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_protocol_display()})"


class FederatedIdentity(models.Model):
    """An account of this town linked to one state account (``subject`` at ``provider``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="federated_identities"
    )
    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="links")
    subject = models.CharField(max_length=255)
    trust_level = models.CharField(max_length=16, choices=TrustLevel.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Verknüpfung mit dem Landeskonto")
        verbose_name_plural = _("Verknüpfungen mit dem Landeskonto")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "subject"], name="federated_subject_unique"
            ),
            models.UniqueConstraint(fields=["provider", "user"], name="federated_user_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ↔ {self.provider.name}"
