"""Reading and checking a file of recipients (CSV or XLSX), all of it before anything starts.

The first line names the columns: ``schluessel`` (the recipient key, once per file),
``name``, ``strasse``, ``plz``, ``ort`` and any the template uses (``betrag`` is an
amount: a number as written in German, "1.234,50"). Every problem is reported with
its line (the header is line 1) and its column (letter and name), so one look at
the file finds it.
"""

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

REQUIRED = ("schluessel", "name", "strasse", "plz", "ort")
ADDRESS = ("strasse", "plz", "ort")
AMOUNT_COLUMNS = ("betrag",)
MAX_ROWS = 50_000
POSTCODE = re.compile(r"^\d{5}$")
GERMAN_AMOUNT = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$")


@dataclass(frozen=True)
class Problem:
    """One problem of the file, at a line and (where it is one cell's) a column."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return _("Zeile %(line)s, Spalte %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        return _("Zeile %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class Row:
    line: int
    recipient_key: str
    name: str
    street: str
    postcode: str
    city: str
    # Every column's value as text (amounts in German form), for the placeholders.
    values: dict[str, str]


@dataclass
class Checked:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


class UnreadableFile(ValueError):  # noqa: N818 (reads as what it is)
    """The file is neither CSV nor XLSX we can read."""


def amount_parse(text: str) -> Decimal:
    """A German amount ("1.234,50", "12", "-3,5") as a Decimal; raises ``ValueError``."""
    cleaned = text.strip().removesuffix("€").removesuffix("EUR").strip()
    if not GERMAN_AMOUNT.match(cleaned):
        raise ValueError(text)
    try:
        return Decimal(cleaned.replace(".", "").replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from exc


def amount_format(amount: Decimal) -> str:
    """``Decimal("1234.5")`` as "1.234,50"."""
    text = f"{amount.quantize(Decimal('0.01')):,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def _csv_lines(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    # The header line decides the delimiter: the one of ";", "," and tab it has most of.
    header = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=header.count)
    yield from csv.reader(io.StringIO(text), delimiter=delimiter)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, Decimal)):
        return amount_format(Decimal(str(value)))
    return str(value).strip()


def _xlsx_lines(content: bytes) -> Iterator[list[str]]:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise UnreadableFile(str(exc)) from exc
    sheet = book.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [_cell_text(value) for value in values]
    book.close()


def file_lines(*, filename: str, content: bytes) -> Iterator[list[str]]:
    """The file's lines as lists of cell texts; raises ``UnreadableFile``."""
    if content.startswith(b"PK\x03\x04") or filename.lower().endswith(".xlsx"):
        return _xlsx_lines(content)
    if b"\x00" in content[:1024]:
        raise UnreadableFile(filename)
    return _csv_lines(content)


def _column(index: int, name: str) -> str:
    return f"{get_column_letter(index + 1)} ({name})"


def file_check(*, filename: str, content: bytes, needed: Sequence[str] = ()) -> Checked:
    """Reads the whole file and checks every row; ``needed`` are further columns the
    template's placeholders use. Problems name line and column; rows are kept only
    when there is none."""
    checked = Checked()
    try:
        lines = iter(file_lines(filename=filename, content=content))
        header = next(lines, None)
    except UnreadableFile:
        checked.problems.append(
            Problem(1, "", _("Die Datei ist weder eine CSV- noch eine XLSX-Datei."))
        )
        return checked
    if not header or not any(header):
        checked.problems.append(Problem(1, "", _("Die Datei ist leer.")))
        return checked
    names = [cell.strip().lower() for cell in header]
    checked.columns = [name for name in names if name]
    for name in (*REQUIRED, *needed):
        if name not in names:
            checked.problems.append(
                Problem(1, "", _("Die Spalte „%(name)s“ fehlt in der Kopfzeile.") % {"name": name})
            )
    if checked.problems:
        return checked
    where = {name: names.index(name) for name in names if name}
    seen: dict[str, int] = {}
    rows: list[Row] = []
    try:
        for number, cells in enumerate(lines, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                checked.problems.append(
                    Problem(number, "", _("Mehr als %(n)s Zeilen.") % {"n": MAX_ROWS})
                )
                break
            row = _row_check(number, cells, where, seen, checked.problems)
            if row is not None:
                rows.append(row)
    except UnreadableFile:
        checked.problems.append(Problem(1, "", _("Die Datei ist nicht lesbar.")))
    except csv.Error as exc:
        checked.problems.append(Problem(0, "", str(exc)))
    if not rows and not checked.problems:
        checked.problems.append(Problem(2, "", _("Die Datei enthält keine Empfänger.")))
    if not checked.problems:
        checked.rows = rows
    return checked


def _row_check(
    number: int,
    cells: list[str],
    where: dict[str, int],
    seen: dict[str, int],
    problems: list[Problem],
) -> Row | None:
    def cell(name: str) -> str:
        index = where[name]
        return cells[index].strip() if index < len(cells) else ""

    before = len(problems)
    key = cell("schluessel")
    if not key:
        problems.append(
            Problem(number, _column(where["schluessel"], "schluessel"), _("Der Schlüssel fehlt."))
        )
    elif key.lower() in seen:
        problems.append(
            Problem(
                number,
                _column(where["schluessel"], "schluessel"),
                _("Der Empfängerschlüssel „%(key)s“ steht schon in Zeile %(line)s.")
                % {"key": key, "line": seen[key.lower()]},
            )
        )
    else:
        seen[key.lower()] = number
    if not cell("name"):
        problems.append(Problem(number, _column(where["name"], "name"), _("Der Name fehlt.")))
    for name in ADDRESS:
        if not cell(name):
            problems.append(
                Problem(number, _column(where[name], name), _("Die Anschrift ist unvollständig."))
            )
    postcode = cell("plz")
    if postcode and not POSTCODE.match(postcode):
        problems.append(
            Problem(
                number,
                _column(where["plz"], "plz"),
                _("„%(value)s“ ist keine Postleitzahl (fünf Ziffern).") % {"value": postcode},
            )
        )
    values = {name: cell(name) for name in where}
    for name in AMOUNT_COLUMNS:
        if name in where and values[name]:
            try:
                values[name] = amount_format(amount_parse(values[name]))
            except ValueError:
                problems.append(
                    Problem(
                        number,
                        _column(where[name], name),
                        _("„%(value)s“ ist kein Betrag (z. B. 1.234,50).")
                        % {"value": values[name]},
                    )
                )
    if len(problems) > before:
        return None
    return Row(
        line=number,
        recipient_key=key,
        name=cell("name"),
        street=cell("strasse"),
        postcode=postcode,
        city=cell("ort"),
        values=values,
    )
