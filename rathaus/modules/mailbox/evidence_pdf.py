"""The evidence record of a message as a PDF, for the file or a court (ReportLab).

It says the same as the JSON record (``selectors.message_evidence``), laid out for
a person: what was provided when, the notification, the first opening, the rule
and the dates it gives, each document's SHA-256, and the audit entries.
"""

import datetime as dt
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _when(value: object) -> str:
    """An ISO timestamp or date of the record, the German way in the town's time zone."""
    if not value:
        return "–"
    text = str(value)
    if len(text) == 10:
        return dt.date.fromisoformat(text).strftime("%d.%m.%Y")
    moment = timezone.localtime(dt.datetime.fromisoformat(text))
    return moment.strftime("%d.%m.%Y, %H:%M:%S Uhr (%Z)")


def evidence_pdf(record: dict[str, Any]) -> bytes:
    """The record as an A4 PDF (one or more pages)."""
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["BodyText"].clone("small", fontSize=8, leading=10)

    def cell(text: object, style: Any = body) -> Paragraph:
        return Paragraph(escape(str(text)), style)

    def table(rows: list[list[Any]], widths: list[float]) -> Table:
        grid = Table(rows, colWidths=widths, hAlign="LEFT")
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
                    ("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"),
                ]
            )
        )
        return grid

    notification = record.get("notification") or {}
    facts = [
        (_("Kommune"), record["town"]),
        (_("Nachricht"), record["message"]),
        (_("Betreff"), record["subject"]),
        (_("Absender"), record["sender"]),
        (_("Aktenzeichen"), record["reference"] or "–"),
        (_("Empfängerkonto"), record["recipient_account"]),
        (_("Bereitgestellt am"), _when(record["provided_at"])),
        (_("Benachrichtigt am"), _when(notification.get("sent_at"))),
        (_("Zuerst geöffnet am"), _when(record["first_opened_at"])),
        (_("Nicht abgerufen, Brief nötig seit"), _when(record["fell_back_at"])),
        (_("Regel der Bekanntgabe"), record["delivery_rule"]),
        (_("Bekannt gegeben am"), _when(record["deemed_delivered_on"])),
        (_("Ende der Widerspruchsfrist"), _when(record["appeal_deadline"])),
    ]
    story: list[Any] = [
        Paragraph(escape(_("Zustellnachweis einer Nachricht im Postfach")), styles["Title"]),
        table([[cell(label), cell(value)] for label, value in facts], [60 * mm, 110 * mm]),
        Spacer(0, 6 * mm),
        Paragraph(escape(_("Dokumente")), styles["Heading2"]),
        table(
            [[cell(_("Datei")), cell(_("Größe (Bytes)")), cell(_("SHA-256"))]]
            + [
                [cell(d["filename"]), cell(d["size"]), cell(d["sha256"], small)]
                for d in record["documents"]
            ],
            [40 * mm, 20 * mm, 110 * mm],  # room for the 64 digits of a hash on one line
        ),
        Spacer(0, 6 * mm),
        Paragraph(escape(_("Protokoll")), styles["Heading2"]),
        table(
            [[cell(_("Zeit")), cell(_("Wer")), cell(_("Was"))]]
            + [
                [cell(_when(e["at"]), small), cell(e["actor"], small), cell(e["action"], small)]
                for e in record["audit"]
            ],
            [50 * mm, 50 * mm, 70 * mm],
        ),
        Spacer(0, 6 * mm),
        Paragraph(
            escape(
                _("Erstellt am %(now)s. Dieselben Angaben liegen als JSON-Datei vor.")
                % {"now": _when(timezone.now().isoformat())}
            ),
            small,
        ),
    ]
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Zustellnachweis %(message)s") % {"message": record["message"]},
        author=str(record["town"]),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    )
    document.build(story)
    return buffer.getvalue()
