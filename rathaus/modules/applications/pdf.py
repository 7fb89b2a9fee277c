"""The PDFs of a case, with ReportLab: the receipt (answers and attachments listed) and a
decision written as text by the clerk.

Both are A4 with embedded fonts (Bitstream Vera, shipped with ReportLab), the document
language and title set, headings as PDF outline entries, and tagged (``pdf_tags``):
every heading, paragraph and table cell is in the structure tree, in reading order.
"""

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import reportlab
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from rathaus.tenants.models import Municipality

from .definition import declarations_of, text_in
from .models import Submission
from .pdf_tags import Marks, Tagged, structure_add
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


def _paragraph(text: object, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


class _Story:
    """The flowables of one document, each tagged for the structure tree (``pdf_tags``)."""

    def __init__(self) -> None:
        self.marks = Marks()
        self.flowables: list[Flowable] = []

    def p(self, text: object, style: ParagraphStyle = BODY) -> None:
        self.flowables.append(Tagged(_paragraph(text, style), "P", self.marks))

    def heading(self, text: str, level: int) -> None:
        style = H1 if level == 0 else H2
        tag = "H1" if level == 0 else "H2"
        self.flowables.append(Tagged(_Heading(text, style, level), tag, self.marks))

    def space(self, height: float) -> None:
        self.flowables.append(Spacer(1, height))

    def facts(self, rows: list[tuple[str, object]]) -> None:
        """Label and value in two columns: a table with a header cell per row."""
        table = self.marks.new_table()
        grid = Table(
            [
                [
                    Tagged(_paragraph(label, SMALL), "TH", self.marks, (table, n)),
                    Tagged(_paragraph(value), "TD", self.marks, (table, n)),
                ]
                for n, (label, value) in enumerate(rows)
            ],
            colWidths=[55 * mm, 105 * mm],
            hAlign="LEFT",
        )
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.flowables.append(grid)

    def build(self, *, title: str, town: Municipality) -> bytes:
        out = io.BytesIO()
        lang = (get_language() or "de")[:2]
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
            lang=lang,
            displayDocTitle=True,
        )
        document.build(self.flowables)
        return structure_add(out.getvalue(), self.marks, title=title, lang=lang)


def _when(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "d.m.Y, H:i")


def receipt_pdf(*, town: Municipality, submission: Submission) -> bytes:
    """The receipt of a sent application: case number, when, every answer, the attached
    files (name, size, SHA-256) and the declarations confirmed."""
    definition = submission.version.definition
    title = _("Eingangsbestätigung %(reference)s") % {"reference": submission.reference}
    story = _Story()
    story.p(town.name, SMALL)
    story.heading(title, 0)
    story.facts(
        [
            (_("Antrag"), text_in(definition["title"])),
            (_("Aktenzeichen"), submission.reference),
            (_("Eingegangen am"), _when(submission.submitted_at) + " " + _("Uhr")),
        ]
    )
    files: list[dict[str, Any]] = []
    for part in answers_by_step(definition=definition, answers=submission.answers):
        story.heading(str(part["step"].title), 1)
        if part["rows"]:
            story.facts([(row["label"], row["value"] or "–") for row in part["rows"]])
        for row in part["rows"]:
            value = submission.answers.get(row["key"])
            if isinstance(value, list):
                files += [item for item in value if isinstance(item, dict) and "sha256" in item]
    story.heading(_("Anlagen"), 1)
    if files:
        story.facts(
            [
                (
                    str(item.get("name", "")),
                    _("%(kb)s KB, SHA-256 %(sha)s")
                    % {"kb": max(1, int(item.get("size", 0)) // 1024), "sha": item["sha256"]},
                )
                for item in files
            ]
        )
    else:
        story.p(_("Keine Anlagen."))
    declarations = [text_in(d["text"]) for d in declarations_of(definition)]
    if declarations:
        story.heading(_("Sie haben bestätigt"), 1)
        for text in declarations:
            story.p(text)
    story.space(6 * mm)
    story.p(_("Bitte geben Sie das Aktenzeichen an, wenn Sie sich zu diesem Antrag an uns wenden."))
    return story.build(title=title, town=town)


def decision_pdf(*, town: Municipality, submission: Submission, text: str, status: str) -> bytes:
    """A decision the clerk wrote as text, laid out as a document with the case's facts."""
    title = _("Bescheid zum Antrag %(reference)s") % {"reference": submission.reference}
    story = _Story()
    story.p(town.name, SMALL)
    story.heading(title, 0)
    story.facts(
        [
            (_("Antrag"), text_in(submission.version.definition["title"])),
            (_("Aktenzeichen"), submission.reference),
            (_("Eingegangen am"), _when(submission.submitted_at) + " " + _("Uhr")),
            (_("Entscheidung"), str(dict(Submission.Status.choices).get(status, status))),
            (_("Datum"), formats.date_format(timezone.localdate(), "d.m.Y")),
        ]
    )
    story.space(6 * mm)
    for paragraph in text.strip().split("\n\n"):
        if paragraph.strip():
            story.p(paragraph)
    story.space(6 * mm)
    story.p(_("Mit freundlichen Grüßen"))
    story.p(town.name)
    return story.build(title=title, town=town)
