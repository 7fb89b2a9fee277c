"""What a German authority's portal must show about itself, and what a town still lacks.

An authority's website needs a provider identification (Impressum, § 5 DDG) with
the authority's name and postal address, a privacy notice (Art. 13 GDPR) and a way
to reach it; the coat of arms is how citizens recognise their town's official
portal. The back office and the vendor console both read this list.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rathaus.platform.branding.models import Branding


@dataclass(frozen=True)
class ChecklistItem:
    """One thing the town's portal must have: whether it is there, and where to fix it.

    ``field`` names the branding form's field that fixes it (the link target).
    """

    key: str
    label: str | Promise
    why: str | Promise
    done: bool
    field: str


def branding_checklist(*, branding: Branding) -> list[ChecklistItem]:
    """Every item of the authority's identity, in the order the branding page asks for them."""
    return [
        ChecklistItem(
            key="coat_of_arms",
            label=_("Wappen"),
            why=_("Steht in der Kopfzeile jeder Seite; daran erkennt man das Portal der Kommune."),
            done=bool(branding.coat_of_arms),
            field="coat_of_arms",
        ),
        ChecklistItem(
            key="authority_name",
            label=_("Name der Behörde"),
            why=_("Zum Beispiel „Stadt Tangerhütte“; steht in der Kopfzeile und im Impressum."),
            done=bool(branding.authority_name.strip()),
            field="authority_name",
        ),
        ChecklistItem(
            key="address",
            label=_("Postanschrift"),
            why=_("Pflichtangabe des Impressums (§ 5 DDG)."),
            done=bool(branding.address.strip()),
            field="address",
        ),
        ChecklistItem(
            key="imprint_url",
            label=_("Impressum"),
            why=_("Pflicht für jede Behörden-Website (§ 5 DDG); verlinkt im Fuß jeder Seite."),
            done=bool(branding.imprint_url),
            field="imprint_url",
        ),
        ChecklistItem(
            key="privacy_url",
            label=_("Datenschutzerklärung"),
            why=_("Pflicht nach Art. 13 DSGVO; verlinkt im Fuß jeder Seite."),
            done=bool(branding.privacy_url),
            field="privacy_url",
        ),
        ChecklistItem(
            key="contact",
            label=_("Kontakt"),
            why=_("E-Mail-Adresse oder Telefonnummer für Fragen der Bürgerinnen und Bürger."),
            done=bool(branding.contact_email or branding.contact_phone.strip()),
            field="contact_email",
        ),
    ]


def branding_missing(*, branding: Branding) -> list[ChecklistItem]:
    """The items still missing; empty once the town's identity is complete."""
    return [item for item in branding_checklist(branding=branding) if not item.done]
