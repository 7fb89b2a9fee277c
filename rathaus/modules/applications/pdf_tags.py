"""A tagged PDF from ReportLab: marked content while drawing, the structure tree after.

ReportLab writes no structure tree, so the case's PDFs build one themselves. Each
``Tagged`` flowable wraps what it draws in a marked-content sequence
(``/P <</MCID n>> BDC … EMC``) and notes it; after the build, ``structure_add`` reads the
notes and writes, with pikepdf, what PDF/UA asks of the file: the ``StructTreeRoot``
(Document > H1, H2, P, Table > TR > TH, TD) with its ``ParentTree``, each page's
``StructParents`` and tab order, ``MarkInfo`` and the PDF/UA identifier in the XMP
metadata. Everything drawn is marked; the pages carry nothing else (no rules or
decorations, which would have to be artifacts).
"""

import io
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable


@dataclass
class Mark:
    """One marked-content sequence: its page (0-based), MCID there, tag and row group."""

    page: int
    mcid: int
    tag: str
    group: tuple[int, int] | None = None  # (table, row) for the cells of a table


@dataclass
class Marks:
    """What a build marked, in drawing (reading) order."""

    items: list[Mark] = field(default_factory=list)
    _next: dict[int, int] = field(default_factory=dict)
    _tables: int = 0

    def new_table(self) -> int:
        self._tables += 1
        return self._tables

    def add(self, *, page: int, tag: str, group: tuple[int, int] | None) -> int:
        mcid = self._next.get(page, 0)
        self._next[page] = mcid + 1
        self.items.append(Mark(page=page, mcid=mcid, tag=tag, group=group))
        return mcid


class Tagged(Flowable):
    """``inner``, drawn as one marked-content sequence of structure type ``tag``."""

    def __init__(
        self, inner: Flowable, tag: str, marks: Marks, group: tuple[int, int] | None = None
    ) -> None:
        super().__init__()
        self.inner, self.tag, self.marks, self.group = inner, tag, marks, group

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = self.inner.wrap(available_width, available_height)
        return self.width, self.height

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        return [
            Tagged(part, self.tag, self.marks, self.group)
            for part in self.inner.split(available_width, available_height)
        ]

    def getSpaceBefore(self) -> float:  # noqa: N802 (ReportLab's name)
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.inner.getSpaceAfter())

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        page = canvas.getPageNumber() - 1
        mcid = self.marks.add(page=page, tag=self.tag, group=self.group)
        canvas._code.append(f"/{self.tag} <</MCID {mcid}>> BDC")  # type: ignore[attr-defined]
        self.inner.drawOn(canvas, x, y, _sW)  # type: ignore[call-arg]
        canvas._code.append("EMC")  # type: ignore[attr-defined]

    def draw(self) -> None:  # drawOn does it all
        pass


def structure_add(pdf: bytes, marks: Marks, *, title: str, lang: str) -> bytes:
    """``pdf`` with the structure tree of ``marks`` and what PDF/UA-1 declares."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = document.pages
        root = document.make_indirect(
            pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array())
        )
        top = document.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root, K=pikepdf.Array()
            )
        )
        root.K.append(top)
        by_page: dict[int, dict[int, Any]] = {}
        tables: dict[int, Any] = {}
        rows: dict[tuple[int, int], Any] = {}

        def element(tag: str, parent: Any, **extra: Any) -> Any:
            made = document.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.StructElem, S=pikepdf.Name("/" + tag), P=parent, **extra
                )
            )
            parent.K.append(made)
            return made

        for mark in marks.items:
            parent = top
            if mark.group is not None:
                table_id = mark.group[0]
                if table_id not in tables:
                    tables[table_id] = element("Table", top, K=pikepdf.Array())
                if mark.group not in rows:
                    rows[mark.group] = element("TR", tables[table_id], K=pikepdf.Array())
                parent = rows[mark.group]
            made = element(mark.tag, parent, Pg=pages[mark.page].obj, K=mark.mcid)
            if mark.tag == "TH":
                made.A = pikepdf.Dictionary(O=pikepdf.Name.Table, Scope=pikepdf.Name.Row)
            by_page.setdefault(mark.page, {})[mark.mcid] = made
        nums = pikepdf.Array()
        for index, page in enumerate(pages):
            page.obj.StructParents = index
            page.obj.Tabs = pikepdf.Name.S
            found = by_page.get(index, {})
            nums.append(index)
            nums.append(document.make_indirect(pikepdf.Array([found[m] for m in sorted(found)])))
        root.ParentTree = document.make_indirect(pikepdf.Dictionary(Nums=nums))
        root.ParentTreeNextKey = len(pages)
        catalog = document.Root
        catalog.StructTreeRoot = root
        catalog.MarkInfo = pikepdf.Dictionary(Marked=True)
        catalog.Lang = pikepdf.String(lang)
        catalog.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = title
            meta["pdfuaid:part"] = "1"
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
