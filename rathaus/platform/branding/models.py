"""The town's branding: one row in the town's own schema."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.platform.branding.validators import (
    IMAGE_FORMATS,
    readable_primary_color,
    small_image,
    web_page_url,
)

DEFAULT_PRIMARY_COLOR = "#1d4f91"
image_validators = [FileExtensionValidator(list(IMAGE_FORMATS)), small_image]


class Branding(models.Model):
    """How the town looks to citizens. A schema has at most one row (primary key 1)."""

    display_name = models.CharField(
        _("Angezeigter Name"),
        max_length=200,
        blank=True,
        help_text=_("Leer lassen, um den amtlichen Namen zu zeigen."),
    )
    primary_color = models.CharField(
        _("Hauptfarbe"),
        max_length=7,
        default=DEFAULT_PRIMARY_COLOR,
        validators=[readable_primary_color],
        help_text=_("Hintergrund der Kopfzeile und Farbe der Links, z. B. #1d4f91."),
    )
    logo = models.ImageField(
        _("Logo"), upload_to="branding/", blank=True, validators=image_validators
    )
    coat_of_arms = models.ImageField(
        _("Wappen"), upload_to="branding/", blank=True, validators=image_validators
    )
    authority_name = models.CharField(
        _("Name der Behörde"),
        max_length=200,
        blank=True,
        help_text=_(
            "So, wie die Kommune amtlich heißt, z. B. „Stadt Tangerhütte“ oder "
            "„Gemeinde Hohe Börde“. Steht in der Kopfzeile und im Impressum."
        ),
    )
    address = models.TextField(
        _("Postanschrift"),
        blank=True,
        help_text=_("Straße und Hausnummer, Postleitzahl und Ort, je Zeile eine Angabe."),
    )
    contact_email = models.EmailField(_("Kontakt-E-Mail"), blank=True)
    contact_phone = models.CharField(_("Kontakt-Telefon"), max_length=40, blank=True)
    imprint_url = models.URLField(_("Impressum (Adresse)"), blank=True, validators=[web_page_url])
    privacy_url = models.URLField(
        _("Datenschutzerklärung (Adresse)"), blank=True, validators=[web_page_url]
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Erscheinungsbild")
        verbose_name_plural = _("Erscheinungsbild")

    def __str__(self) -> str:
        return self.display_name or "Branding"
