"""Sample content of a demo town: the Bürgerbüro and the services people book most."""

import datetime as dt
from decimal import Decimal
from typing import Any

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from .models import Location, OpeningHours, Service

WEEKDAY_HOURS = [(day, dt.time(8), dt.time(18 if day == 3 else 16)) for day in range(5)]
# Fees as the federal and Saxony-Anhalt's fee schedules set them (2025).
SERVICES: list[dict[str, Any]] = [
    {
        "name": "Personalausweis beantragen",
        "summary": "Den neuen Personalausweis beantragen, wenn der alte abläuft oder verloren ist.",
        "description": (
            "Sie kommen persönlich ins Bürgerbüro; Fingerabdrücke und Unterschrift werden "
            "vor Ort aufgenommen. Der Ausweis wird in der Bundesdruckerei hergestellt; Sie "
            "holen ihn ab, sobald Sie Bescheid bekommen."
        ),
        "duration_minutes": 30,
        "documents": "Bisheriger Personalausweis oder Reisepass\nBiometrisches Passfoto\n"
        "Bei Verlust: Verlustanzeige",
        "fee_note": "37,00 € (unter 24 Jahren: 22,80 €)",
        "processing_time": "etwa 3 bis 4 Wochen",
        "life_situations": ["ausweise-und-dokumente"],
        "keywords": "Perso, Ausweis, Ausweisdokument, ID card, identity card",
        "popular": True,
    },
    {
        "name": "Reisepass beantragen",
        "summary": "Einen Reisepass für Reisen außerhalb der EU beantragen.",
        "description": "Der Reisepass gilt zehn Jahre, unter 24 Jahren sechs Jahre.",
        "duration_minutes": 30,
        "documents": "Bisheriger Reisepass oder Personalausweis\nBiometrisches Passfoto",
        "fee_note": "70,00 € (unter 24 Jahren: 37,50 €)",
        "processing_time": "etwa 4 bis 6 Wochen",
        "life_situations": ["ausweise-und-dokumente"],
        "keywords": "Pass, Reisedokument, passport",
        "popular": True,
    },
    {
        "name": "Hund anmelden",
        "summary": "Einen Hund zur Hundesteuer anmelden und die Hundesteuermarke erhalten.",
        "description": (
            "Wer einen Hund hält, meldet ihn innerhalb von zwei Wochen an. Die Hundesteuer "
            "wird jährlich erhoben; die Marke bekommen Sie beim Termin."
        ),
        "duration_minutes": 15,
        "documents": "Personalausweis\nNachweis über die Haftpflichtversicherung des Hundes\n"
        "Chipnummer des Hundes",
        "fee": Decimal("0"),
        "processing_time": "sofort",
        "life_situations": ["tiere"],
        "keywords": "Hundesteuer, Hundemarke, Haustier, dog, dog tax",
        "popular": True,
    },
    {
        "name": "Wohnsitz anmelden",
        "summary": "Nach dem Umzug die neue Wohnung anmelden, innerhalb von zwei Wochen.",
        "duration_minutes": 15,
        "documents": "Personalausweis oder Reisepass\nWohnungsgeberbestätigung",
        "fee": Decimal("0"),
        "processing_time": "sofort",
        "life_situations": ["umzug-und-meldewesen"],
        "keywords": "Umzug, Ummeldung, Anmeldung, Wohnung, registration, moving",
        "popular": True,
    },
    {
        "name": "Meldebescheinigung",
        "summary": "Eine Bescheinigung über Ihren Wohnsitz, z. B. für Behörden oder Arbeitgeber.",
        "duration_minutes": 15,
        "documents": "Personalausweis",
        "fee": Decimal("8.00"),
        "processing_time": "sofort",
        "life_situations": ["umzug-und-meldewesen"],
        "keywords": "Wohnsitzbescheinigung, Meldenachweis, certificate of registration",
    },
    {
        "name": "Führungszeugnis beantragen",
        "summary": "Ein polizeiliches Führungszeugnis, z. B. für Arbeitgeber oder ein Ehrenamt.",
        "duration_minutes": 15,
        "documents": "Personalausweis oder Reisepass",
        "fee": Decimal("13.00"),
        "processing_time": "etwa 2 Wochen",
        "life_situations": ["ausweise-und-dokumente", "gewerbe-und-arbeit"],
        "keywords": "Polizeiliches Führungszeugnis, certificate of good conduct",
    },
    {
        "name": "Gewerbe anmelden",
        "summary": "Ein Gewerbe anmelden, wenn Sie sich selbständig machen.",
        "duration_minutes": 30,
        "documents": "Personalausweis oder Reisepass\nBei Handwerk: Handwerkskarte\n"
        "Bei erlaubnispflichtigem Gewerbe: die Erlaubnis",
        "fee": Decimal("26.00"),
        "processing_time": "sofort",
        "life_situations": ["gewerbe-und-arbeit"],
        "keywords": "Gewerbeanmeldung, Selbständigkeit, Firma, business registration",
    },
    {
        "name": "Geburt beurkunden",
        "summary": "Die Geburt Ihres Kindes beim Standesamt beurkunden lassen.",
        "duration_minutes": 30,
        "documents": "Personalausweise der Eltern\nGeburtsurkunden oder Eheurkunde der Eltern\n"
        "Geburtsanzeige der Klinik",
        "fee_note": "kostenlos; jede weitere Urkunde 12,00 €",
        "processing_time": "etwa 1 Woche",
        "life_situations": ["familie-und-kinder"],
        "keywords": "Geburtsurkunde, Standesamt, Baby, Kind, birth certificate",
    },
    {
        "name": "Fundsache abholen oder melden",
        "summary": "Etwas gefunden oder verloren? Im Fundbüro melden oder abholen.",
        "duration_minutes": 15,
        "documents": "Personalausweis",
        "fee": Decimal("0"),
        "life_situations": ["sicherheit-und-feuerwehr"],
        "keywords": "Fundbüro, verloren, gefunden, lost and found",
    },
]


def demo_load(*, town: Municipality, actor: Actor) -> None:
    """A location with two counters, weekday hours and the services, once."""
    location, created = Location.objects.get_or_create(
        name="Bürgerbüro",
        defaults={"counters": 2, "slot_minutes": 15, "address": f"Markt 1\n{town.name}"},
    )
    if not created:
        return
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in WEEKDAY_HOURS
    )
    for spec in SERVICES:
        service = Service.objects.create(**spec)
        service.locations.add(location)
