"""Rules for what a town may choose: readable colours and safe images."""

from coloraide import Color
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import RegexValidator, URLValidator
from django.utils.translation import gettext_lazy as _

# The primary colour is the background of white header text and the colour
# of links on white: WCAG 2.1 AA asks for 4.5:1 for normal text.
WCAG_AA_NORMAL_TEXT = 4.5
TEXT_ON_PRIMARY = "#ffffff"
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_FORMATS = ("png", "jpg", "jpeg", "webp")

hex_color = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Bitte eine Farbe im Format #RRGGBB angeben, z. B. #1d4f91.")
)

# The Impressum and privacy links are followed by every visitor (footer, and a redirect
# from /impressum/): a web page, not ftp:// or ftps://, which browsers no longer open and
# which Django refuses to redirect to.
web_page_url = URLValidator(
    schemes=["http", "https"],
    message=_("Bitte die Adresse einer Web-Seite angeben, die mit https:// beginnt."),
)


def contrast_with_text(color: str) -> float:
    return float(Color(color).contrast(TEXT_ON_PRIMARY, method="wcag21"))


def readable_primary_color(color: str) -> None:
    """Refuses a primary colour whose contrast with white text fails WCAG AA."""
    hex_color(color)
    ratio = contrast_with_text(color)
    if ratio < WCAG_AA_NORMAL_TEXT:
        raise ValidationError(
            _(
                "Weiße Schrift auf dieser Farbe ist schlecht lesbar: Kontrast %(ratio).1f:1, "
                "nötig sind mindestens 4,5:1 (WCAG AA). Bitte eine dunklere Farbe wählen."
            ),
            code="contrast",
            params={"ratio": ratio},
        )


def small_image(file: File) -> None:
    if file.size is not None and file.size > MAX_IMAGE_BYTES:
        raise ValidationError(_("Das Bild ist größer als 2 MB."), code="too_large")
