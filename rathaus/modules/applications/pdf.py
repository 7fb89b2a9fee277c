"""The PDFs of a case, with ReportLab: the receipt (answers and attachments listed) and a
decision written as text by the clerk.

Both are A4 with embedded fonts (Bitstream Vera, shipped with ReportLab), the document
language and title set, headings as PDF outline entries and text in reading order.
"""

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rathaus.tenants.models import Municipality

from .definition import declarations_of, text_in
from .models import Submission
from .selectors import answers_by_step

FONT, BOLD = "ApplicationsVera", "ApplicationsVera-Bold"
_FONTS = Path(reportlab.__file__).parent / "fonts"
pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=11)
H1 = ParagraphStyle("h1", parent=BODY, fontName=BOLD, fontSize=16, leading=20, spaceAfter=6)
H2 = ParagraphStyle(
    "h2", parent=BODY, fontName=BOLD, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4
)


class _Heading(Paragraph):
    """A heading that is also an entry of the document's outline (bookmarks)."""

    def __init__(self, text: str, style: ParagraphStyle, level: int) -> None:
        super().__init__(escape(text), style)
        self.outline_text, self.outline_level = text, level

    def draw(self) -> None:
        super().draw()
        key = f"h{id(self)}"
        self.canv.bookmarkHorizontal(key, 0, self.height)
        self.canv.addOutlineEntry(self.outline_text, key, level=self.outline_level)


def _p(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _facts(rows: list[tuple[str, object]]) -> Table:
    grid = Table(
        [[_p(label, SMALL), _p(value)] for label, value in rows],
        colWidths=[55 * mm, 105 * mm],
        hAlign="LEFT",
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
            ]
        )
    )
    return grid


def _build(*, title: str, town: Municipality, story: list[Flowable]) -> bytes:
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        author=town.name,
        subject=title,
        creator="Rathaus",
        lang=(get_language() or "de")[:2],
        displayDocTitle=True,
    )
    document.build(story)
    return out.getvalue()


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "d.m.Y, H:i")


def receipt_pdf(*, town: Municipality, submission: Submission) -> bytes:
    """The receipt of a sent application: case number, when, every answer, the attached
    files (name, size, SHA-256) and the declarations confirmed."""
    definition = submission.version.definition
    form_title = text_in(definition["title"])
    title = _("Eingangsbestätigung %(reference)s") % {"reference": submission.reference}
    story: list[Flowable] = [
        _p(town.name, SMALL),
        _Heading(title, H1, 0),
        _facts(
            [
                (_("Antrag"), form_title),
                (_("Aktenzeichen"), submission.reference),
                (_("Eingegangen am"), _when(submission.submitted_at) + " " + _("Uhr")),
            ]
        ),
    ]
    files: list[dict[str, Any]] = []
    for part in answers_by_step(definition=definition, answers=submission.answers):
        story.append(_Heading(str(part["step"].title), H2, 1))
        if part["rows"]:
            story.append(_facts([(row["label"], row["value"] or "–") for row in part["rows"]]))
        for row in part["rows"]:
            value = submission.answers.get(row["key"])
            if isinstance(value, list):
                files += [item for item in value if isinstance(item, dict) and "sha256" in item]
    story.append(_Heading(_("Anlagen"), H2, 1))
    if files:
        story.append(
            _facts(
                [
                    (
                        str(item.get("name", "")),
                        _("%(kb)s KB, SHA-256 %(sha)s")
                        % {"kb": max(1, int(item.get("size", 0)) // 1024), "sha": item["sha256"]},
                    )
                    for item in files
                ]
            )
        )
    else:
        story.append(_p(_("Keine Anlagen.")))
    declarations = [text_in(d["text"]) for d in declarations_of(definition)]
    if declarations:
        story.append(_Heading(_("Sie haben bestätigt"), H2, 1))
        story += [_p(text) for text in declarations]
    story += [
        Spacer(1, 6 * mm),
        _p(_("Bitte geben Sie das Aktenzeichen an, wenn Sie sich zu diesem Antrag an uns wenden.")),
    ]
    return _build(title=title, town=town, story=story)


def decision_pdf(*, town: Municipality, submission: Submission, text: str, status: str) -> bytes:
    """A decision the clerk wrote as text, laid out as a document with the case's facts."""
    title = _("Bescheid zum Antrag %(reference)s") % {"reference": submission.reference}
    story: list[Flowable] = [
        _p(town.name, SMALL),
        _Heading(title, H1, 0),
        _facts(
            [
                (_("Antrag"), text_in(submission.version.definition["title"])),
                (_("Aktenzeichen"), submission.reference),
                (_("Eingegangen am"), _when(submission.submitted_at) + " " + _("Uhr")),
                (_("Entscheidung"), str(dict(Submission.Status.choices).get(status, status))),
                (_("Datum"), formats.date_format(timezone.localdate(), "d.m.Y")),
            ]
        ),
        Spacer(1, 6 * mm),
    ]
    story += [_p(paragraph) for paragraph in text.strip().split("\n\n") if paragraph.strip()]
    story += [Spacer(1, 6 * mm), _p(_("Mit freundlichen Grüßen")), _p(town.name)]
    return _build(title=title, town=town, story=story)
