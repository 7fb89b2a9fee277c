"""Demo content: the demo citizen's mailbox holds a notice and a message to answer.

Loaded by ``manage.py load_demo`` after the demo logins exist (the citizen is
``buerger@<slug>.localhost``); providing is idempotent by its source key, so the
demo loads any number of times without a second message.
"""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality

from .models import Message
from .selectors import consent_given
from .services import NewDocument, consent_record, message_provide


def _letter(town: Municipality, lines: list[str]) -> bytes:
    """A one-page demo notice as a PDF."""
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setTitle(lines[0])
    page.setFont("Helvetica-Bold", 14)
    page.drawString(25 * mm, 250 * mm, f"{town.name}: {lines[0]}")
    page.setFont("Helvetica", 11)
    for number, line in enumerate(lines[1:]):
        page.drawString(25 * mm, (235 - 7 * number) * mm, line)
    page.showPage()
    page.save()
    return buffer.getvalue()


def demo_load(*, town: Municipality, actor: Actor) -> None:
    """Consent and two messages for the demo citizen of ``town`` (if that login exists)."""
    citizen = User.objects.filter(email=f"buerger@{town.slug}.localhost").first()
    if citizen is None:
        return
    if not consent_given(account=citizen):
        consent_record(account=citizen, consented=True)
    message_provide(
        owner=citizen,
        source_key=f"demo:{town.slug}:hundesteuer-2026",
        kind=Message.Kind.NOTICE,
        subject="Bescheid über die Hundesteuer 2026",
        sender_office="Steueramt",
        reference="HSt-2026-0042",
        body="Sehr geehrte Frau Mustermann,\n\nanbei erhalten Sie Ihren Hundesteuerbescheid.",
        documents=[
            NewDocument(
                filename="hundesteuerbescheid-2026.pdf",
                content=_letter(
                    town,
                    [
                        "Bescheid über die Hundesteuer 2026",
                        "Für Ihren Hund Bello setzen wir die Hundesteuer 2026 auf 60,00 EUR fest.",
                        "Der Betrag ist am 15.02.2026 fällig.",
                        "Gegen diesen Bescheid kann innerhalb eines Monats Widerspruch",
                        "erhoben werden.",
                    ],
                ),
            )
        ],
    )
    message_provide(
        owner=citizen,
        source_key=f"demo:{town.slug}:sperrmuell",
        kind=Message.Kind.INFORMATION,
        subject="Ihr Termin für die Sperrmüllabholung",
        sender_office="Ordnungsamt",
        body=(
            "Guten Tag,\n\nIhr Sperrmüll wird am kommenden Dienstag abgeholt. "
            "Passt Ihnen der Termin? Antworten Sie gern hier."
        ),
        allows_reply=True,
    )
