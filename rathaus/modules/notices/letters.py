"""A notice as a one-page PDF letter after DIN 5008 form B, and its preflight.

Form B (in millimetres from the top left of an A4 portrait page): the letterhead
above 45, the address field 45 to 90 from the top and 20 to 105 from the left
(a DL window envelope's window, DIN 680), the return line in its top part, the
information block on the right from 50, fold marks at 105 and 210 and the hole
mark at 148.5 on the left edge. The fonts (Bitstream Vera, shipped with ReportLab)
are embedded, and ReportLab writes the file as PDF/A-2b itself (XMP metadata
declaring it, matching the document info, and an sRGB output intent with the ICC
profile pikepdf ships): no second pass over the file. The tests check it with
pikepdf's PDF/A validator.

The renderer notes the box of everything it draws; the preflight checks the
written file (one A4 portrait page) and those boxes (inside the printable area,
the address inside its window), the way GOV.UK Notify validates letters.
"""

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import reportlab
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

A4_WIDTH, A4_HEIGHT = 210 * mm, 297 * mm
# Nothing may be printed nearer to the edge than this (print partners' margin).
PRINT_MARGIN = 5 * mm
# The address window of form B, from the top left: x, y (top), width, height.
WINDOW = (20 * mm, 45 * mm, 85 * mm, 45 * mm)
FOLD_MARKS = (105 * mm, 210 * mm)
HOLE_MARK = 148.5 * mm
LEFT = 25 * mm
RIGHT = A4_WIDTH - 20 * mm
BODY_TOP = 98.5 * mm
# The body ends above the footer (bank details).
BODY_BOTTOM = A4_HEIGHT - 30 * mm
ADDRESS_LINES = 6

FONT, BOLD = "RathausVera", "RathausVera-Bold"
_FONTS = Path(reportlab.__file__).parent / "fonts"
pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "Vera.ttf")))
pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "VeraBd.ttf")))
SRGB_PROFILE = (Path(pikepdf.__file__).parent / "pdfa" / "data" / "sRGB.icc").read_bytes()
PRODUCER = "Rathaus"


@dataclass(frozen=True)
class Letterhead:
    """The town's letterhead: coat of arms (PNG/JPEG bytes), sender, contact, bank."""

    authority: str
    sender_line: str
    contact: Sequence[str] = ()
    bank_details: Sequence[str] = ()
    coat_of_arms: bytes = b""


@dataclass(frozen=True)
class Letter:
    """One letter: the recipient's address lines, the subject, the body's paragraphs."""

    address: Sequence[str]
    subject: str
    paragraphs: Sequence[str]
    date_line: str = ""
    reference: str = ""


@dataclass(frozen=True)
class Box:
    """Something drawn, in millimetres from the top left; ``what`` names it."""

    what: str
    left: float
    top: float
    right: float
    bottom: float


@dataclass
class Rendered:
    pdf: bytes
    boxes: list[Box] = field(default_factory=list)


class _Page:
    """A canvas that notes each string's box (in mm from the top left); without a canvas it
    only measures (the layout for the preflight, no PDF made)."""

    def __init__(self, canvas: Canvas | None) -> None:
        self.canvas = canvas
        self.boxes: list[Box] = []

    def text(
        self, what: str, x: float, top: float, line: str, *, size: float = 10, bold: bool = False
    ) -> None:
        font = BOLD if bold else FONT
        width = pdfmetrics.stringWidth(line, font, size)
        baseline = top + size * 0.8
        if self.canvas is not None:
            self.canvas.setFont(font, size)
            self.canvas.drawString(x, A4_HEIGHT - baseline, line)
        self.boxes.append(Box(what, x / mm, top / mm, (x + width) / mm, (top + size) / mm))

    def wrap(self, text: str, *, width: float, size: float = 10) -> list[str]:
        lines: list[str] = []
        for raw in text.splitlines() or [""]:
            words, current = raw.split(" "), ""
            for word in words:
                candidate = f"{current} {word}".strip() if current else word
                if current and pdfmetrics.stringWidth(candidate, FONT, size) > width:
                    lines.append(current)
                    current = word
                else:
                    current = candidate
            lines.append(current)
        return lines


def _marks(page: _Page) -> None:
    canvas = page.canvas
    if canvas is not None:
        canvas.setLineWidth(0.3)
    for top, length in ((FOLD_MARKS[0], 4 * mm), (HOLE_MARK, 6 * mm), (FOLD_MARKS[1], 4 * mm)):
        left = PRINT_MARGIN
        if canvas is not None:
            canvas.line(left, A4_HEIGHT - top, left + length, A4_HEIGHT - top)
        page.boxes.append(Box("mark", left / mm, top / mm, (left + length) / mm, top / mm))


def _letterhead(page: _Page, head: Letterhead) -> None:
    if head.coat_of_arms and page.canvas is not None:
        try:
            image = ImageReader(io.BytesIO(head.coat_of_arms))
        except Exception:
            image = None
        if image is not None:
            size = 18 * mm
            x, top = RIGHT - size, 12 * mm
            page.canvas.drawImage(
                image, x, A4_HEIGHT - top - size, size, size, preserveAspectRatio=True, mask="auto"
            )
            page.boxes.append(Box("coat", x / mm, top / mm, (x + size) / mm, (top + size) / mm))
    page.text("letterhead", LEFT, 15 * mm, head.authority, size=14, bold=True)
    # The return line: small, at the top of the window.
    page.text("return", WINDOW[0] + 5 * mm, WINDOW[1] + 5 * mm, head.sender_line[:90], size=6)
    top = 50 * mm
    for line in head.contact:
        page.text("info", 125 * mm, top, line, size=8)
        top += 3.8 * mm


def _footer(page: _Page, head: Letterhead) -> None:
    top = A4_HEIGHT - 22 * mm
    for line in head.bank_details:
        page.text("footer", LEFT, top, line, size=7)
        top += 3.2 * mm


def letter_render(*, head: Letterhead, letter: Letter) -> Rendered:
    """The letter as a PDF/A-2b file with the boxes of what was drawn."""
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(A4_WIDTH, A4_HEIGHT),
        pageCompression=1,
        initialFontName=FONT,  # type: ignore[arg-type]  # the stubs say a number
    )
    canvas.setTitle(letter.subject)
    canvas.setAuthor(head.authority)
    canvas.setSubject(letter.subject)
    canvas.setCreator(PRODUCER)
    canvas.setProducer(PRODUCER)
    page = _Page(canvas)
    _draw(page, head, letter)
    _pdfa_declare(canvas, title=letter.subject, author=head.authority)
    canvas.showPage()
    doc = canvas._doc  # type: ignore[attr-defined]
    for pdf_page in doc.Pages.pages:
        pdf_page.Trans = None  # ReportLab's empty page transition: a key PDF/A checks do not know
    canvas.save()
    return Rendered(pdf=buffer.getvalue(), boxes=page.boxes)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _pdfa_declare(canvas: Canvas, *, title: str, author: str) -> None:
    """XMP metadata (PDF/A-2b, the same title, author, subject, producer and dates as the
    document info) and the sRGB output intent, in the catalog ReportLab writes."""
    doc = canvas._doc  # type: ignore[attr-defined]
    stamp = doc._timeStamp
    year, month, day, hour, minute, second = stamp.YMDhms
    sign = "+" if stamp.dhh >= 0 else "-"
    date = (
        f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}"
        f"{sign}{abs(stamp.dhh):02d}:{stamp.dmm:02d}"
    )
    title, author = _xml(title), _xml(author)
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"'
        ' xmlns:xmp="http://ns.adobe.com/xap/1.0/">'
        "<pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance>"
        f'<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>'
        f"<dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>"
        f'<dc:description><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt>'
        "</dc:description>"
        f"<pdf:Producer>{PRODUCER}</pdf:Producer><pdf:Keywords></pdf:Keywords>"
        f"<xmp:CreatorTool>{PRODUCER}</xmp:CreatorTool>"
        f"<xmp:CreateDate>{date}</xmp:CreateDate><xmp:ModifyDate>{date}</xmp:ModifyDate>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    metadata = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary(
            {"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}
        ),
        xmp,
        filters=[],
    )
    metadata.__NoDefaultFilters__ = 1  # type: ignore[attr-defined]  # the XMP stays uncompressed
    profile = pdfdoc.PDFStream(pdfdoc.PDFDictionary({"N": 3}), SRGB_PROFILE)
    intent = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("OutputIntent"),
            "S": pdfdoc.PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": pdfdoc.PDFString("sRGB"),
            "Info": pdfdoc.PDFString("sRGB IEC61966-2.1"),
            "DestOutputProfile": doc.Reference(profile),
        }
    )
    catalog = doc.Catalog
    catalog.Metadata = doc.Reference(metadata)
    catalog.OutputIntents = pdfdoc.PDFArray([intent])
    # ReportLab writes only the catalog keys it knows; this catalog knows one more.
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]


def letter_layout(*, head: Letterhead, letter: Letter) -> list[Box]:
    """Where everything of the letter goes, measured the way ``letter_render`` draws it,
    without making the PDF (fast: the preflight of a whole file at upload)."""
    page = _Page(None)
    _draw(page, head, letter)
    return page.boxes


def _draw(page: _Page, head: Letterhead, letter: Letter) -> None:
    _marks(page)
    _letterhead(page, head)
    top = WINDOW[1] + 17.7 * mm
    for line in list(letter.address)[: ADDRESS_LINES + 3]:
        page.text("address", WINDOW[0] + 5 * mm, top, line)
        top += 4.23 * mm
    top = 50 * mm + 3.8 * mm * (len(head.contact) + 1)
    for line in (letter.reference, letter.date_line):
        if line:
            page.text("info", 125 * mm, top, line, size=8)
            top += 3.8 * mm
    page.text("subject", LEFT, BODY_TOP, letter.subject, size=10, bold=True)
    top = BODY_TOP + 10 * mm
    for paragraph in letter.paragraphs:
        for line in page.wrap(paragraph, width=RIGHT - LEFT):
            page.text("body", LEFT, top, line)
            top += 4.5 * mm
        top += 2.5 * mm
    _footer(page, head)


def pdfs_join(pdfs: Sequence[bytes]) -> bytes:
    """The PDFs one after the other in one file."""
    with pikepdf.new() as joined:
        opened = [pikepdf.open(io.BytesIO(pdf)) for pdf in pdfs]
        try:
            for document in opened:
                joined.pages.extend(document.pages)
            out = io.BytesIO()
            joined.save(out)
        finally:
            for document in opened:
                document.close()
    return out.getvalue()


def preflight(rendered: Rendered) -> list[str]:
    """What makes the letter unfit for print: empty when it passes (``pdf_problems`` of
    the file and ``layout_problems`` of what was drawn)."""
    return list(dict.fromkeys([*pdf_problems(rendered.pdf), *layout_problems(rendered.boxes)]))


def pdf_problems(pdf: bytes) -> list[str]:
    """The file must be one A4 portrait page."""
    problems: list[str] = []
    with pikepdf.open(io.BytesIO(pdf)) as document:
        if len(document.pages) != 1:
            problems.append(
                _("Der Brief hat %(n)s Seiten statt einer.") % {"n": len(document.pages)}
            )
        for number, pdf_page in enumerate(document.pages, start=1):
            media = [float(value) for value in pdf_page.mediabox]
            width, height = media[2] - media[0], media[3] - media[1]
            if abs(width - A4_WIDTH) > 1 or abs(height - A4_HEIGHT) > 1:
                problems.append(
                    _("Seite %(n)s ist nicht A4 hochkant (%(w)s × %(h)s mm).")
                    % {"n": number, "w": round(width / mm), "h": round(height / mm)}
                )
    return problems


def layout_problems(boxes: Sequence[Box]) -> list[str]:
    """Everything drawn must lie within the printable area (``PRINT_MARGIN`` from every
    edge); the address and return lines inside the address window, at most
    ``ADDRESS_LINES`` of address; the body above the footer."""
    problems: list[str] = []
    margin = PRINT_MARGIN / mm
    left, top, wide, high = (value / mm for value in WINDOW)
    outside = {
        box.what
        for box in boxes
        if box.left < margin - 0.01
        or box.top < margin - 0.01
        or box.right > A4_WIDTH / mm - margin + 0.01
        or box.bottom > A4_HEIGHT / mm - margin + 0.01
    }
    if outside:
        problems.append(_("Etwas liegt außerhalb des druckbaren Bereichs."))
    for box in boxes:
        inside = (
            box.left >= left
            and box.right <= left + wide
            and box.top >= top
            and box.bottom <= top + high
        )
        if box.what in ("address", "return") and not inside:
            problems.append(_("Die Anschrift passt nicht in das Adressfenster."))
            break
    if sum(1 for box in boxes if box.what == "address") > ADDRESS_LINES:
        problems.append(_("Die Anschrift hat mehr als %(n)s Zeilen.") % {"n": ADDRESS_LINES})
    if any(box.what == "body" and box.bottom > BODY_BOTTOM / mm for box in boxes):
        problems.append(_("Der Text ist zu lang für eine Seite und reicht in die Fußzeile."))
    return list(dict.fromkeys(problems))


def placeholders_fill(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each ``{name}`` replaced by ``values[name]`` (unknown ones stay)."""
    out = text
    for name, value in values.items():
        out = out.replace("{" + name + "}", value)
    return out
