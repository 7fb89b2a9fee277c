"""Demo content: one fee notice template the demo town can send with the sample file."""

from pathlib import Path

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from .models import Template
from .services import template_save

SAMPLE_FILE = Path(__file__).parent / "demo" / "umlagebescheide-2100.csv"
NAME = "Umlagebescheid Unterhaltungsverband"


def demo_template_values(town: Municipality) -> dict[str, str]:
    return {
        "name": NAME,
        "subject": "Umlagebescheid {jahr} – {grundstueck}",
        "office": "Kämmerei, Steuern und Abgaben",
        "sender_line": f"{town.name} · Bismarckstraße 5 · 39517 {town.name}"[:90],
        "contact": "Telefon 03935 9306-0\nsteuern@example.org",
        "bank_details": (
            "Kreissparkasse Stendal · IBAN DE12 8105 0555 0000 1234 56 · BIC NOLADE21SDL"
        ),
        "body": (
            "Sehr geehrte Damen und Herren,\n\n"
            "für das Grundstück {grundstueck} wird die Umlage der Unterhaltungsverbände "
            "für {jahr} auf {betrag} EUR festgesetzt.\n\n"
            "Bitte überweisen Sie den Betrag bis zum Fälligkeitstag unter Angabe des "
            "Kassenzeichens {schluessel}.\n\n"
            "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch "
            "erhoben werden.\n\n"
            "Mit freundlichen Grüßen\nIhre Stadtverwaltung"
        ),
    }


def demo_load(*, town: Municipality, actor: Actor) -> None:
    """Adds the fee notice template once; runs any number of times."""
    if Template.objects.filter(name=NAME).exists():
        return
    template_save(town=town, actor=actor, template=Template(), values=demo_template_values(town))
