"""Demo content: one fee notice template the demo town can send with the sample file."""

from pathlib import Path

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from .models import Template
from .services import template_save

SAMPLE_FILE = Path(__file__).parent / "demo" / "umlagebescheide-2100.csv"
NAME = "Umlagebescheid Unterhaltungsverband"
SAMPLE_ROWS = 2100
# Every third row is a citizen account (its key is the account's e-mail address).
SAMPLE_MAILBOX_EVERY = 3
STREETS = ("Lindenweg", "Am Markt", "Bahnhofstraße", "Feldstraße", "Kirchplatz", "Elbdeich")
PLACES = (("39517", "Tangerhütte"), ("39517", "Lüderitz"), ("39579", "Demker"))


def sample_mailbox_email(number: int) -> str:
    return f"buerger{number:04d}@example.org"


def sample_lines(rows: int = SAMPLE_ROWS) -> list[str]:
    """The sample file's lines (header first): a third to citizen accounts, the rest to print."""
    lines = ["schluessel;name;strasse;plz;ort;grundstueck;jahr;betrag"]
    for n in range(rows):
        key = sample_mailbox_email(n) if n % SAMPLE_MAILBOX_EVERY == 0 else f"KZ-2026-{n:05d}"
        postcode, place = PLACES[n % len(PLACES)]
        cents = (n * 7919) % 250_000 + 1_000
        amount = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"
        lines.append(
            f"{key};Person {n:04d};{STREETS[n % len(STREETS)]} {n % 97 + 1};{postcode};{place};"
            f"Gemarkung {place}, Flur {n % 12 + 1}, Flurstück {n};2026;{amount}"
        )
    return lines


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
