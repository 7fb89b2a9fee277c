"""Staff upload a file: it is checked whole, every problem with line and column; a good file
becomes a run with its split (mailbox or print), postage and preflight."""

import io
from decimal import Decimal

import pikepdf
import pikepdf.pdfa
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context
from openpyxl import Workbook

from rathaus.modules.notices.datafile import amount_parse, file_check
from rathaus.modules.notices.models import Recipient, Run, Template
from rathaus.modules.notices.selectors import run_split
from rathaus.tenants.models import Municipality
from tests.html import text_of

from .conftest import CLERK, HEADER, citizen, make_staff, rows


def _upload(client: Client, template: Template, content: bytes, name: str = "umlage.csv") -> object:
    return client.post(
        "/staff/notices/upload/",
        {"template": template.pk, "file": SimpleUploadedFile(name, content, "text/csv")},
    )


def test_every_problem_of_the_file_is_named_with_line_and_column_and_nothing_starts(
    client_a: Client, template_a: Template, notices_a: Municipality
) -> None:
    make_staff(notices_a, client_a, CLERK, email="kasse@example.org")
    content = (
        HEADER
        + "KZ-1;Anna Alt;Markt 1;39517;Tangerhütte;Flur 1;2026;1.234,50\n"
        + "KZ-2;Bernd Bau;;39517;Tangerhütte;Flur 2;2026;10,00\n"
        + "KZ-3;Clara Corn;Weg 3;3951;Tangerhütte;Flur 3;2026;10,00\n"
        + "KZ-4;Dora Dach;Weg 4;39517;Tangerhütte;Flur 4;2026;zwölf\n"
        + "KZ-1;Emil Eck;Weg 5;39517;Tangerhütte;Flur 5;2026;1,00\n"
    ).encode()

    page = text_of(_upload(client_a, template_a, content).content.decode())  # type: ignore[attr-defined]

    assert "Die Datei hat 4 Fehler; es wurde nichts gestartet." in page
    assert "Zeile 3, Spalte C (strasse): Die Anschrift ist unvollständig." in page
    assert "Zeile 4, Spalte D (plz): „3951“ ist keine Postleitzahl (fünf Ziffern)." in page
    assert "Zeile 5, Spalte H (betrag): „zwölf“ ist kein Betrag (z. B. 1.234,50)." in page
    assert (
        "Zeile 6, Spalte A (schluessel): Der Empfängerschlüssel „KZ-1“ steht schon in Zeile 2."
        in page
    )
    with tenant_context(notices_a):
        assert not Run.objects.exists()
        assert not Recipient.objects.exists()


def test_a_missing_column_of_the_template_is_named() -> None:
    checked = file_check(
        filename="x.csv",
        content=b"schluessel;name;strasse;plz;ort\nA;B;C;39517;D\n",
        needed=["betrag"],
    )
    assert [str(problem) for problem in checked.problems] == [
        "Zeile 1: Die Spalte „betrag“ fehlt in der Kopfzeile."
    ]


def test_german_amounts_are_decimals() -> None:
    assert amount_parse("1.234,50") == Decimal("1234.50")
    assert amount_parse("12") == Decimal("12")
    for bad in ("1,234.50", "12.5", "abc", ""):
        try:
            amount_parse(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_an_xlsx_file_is_checked_the_same_way() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["schluessel", "name", "strasse", "plz", "ort", "betrag"])
    sheet.append(["KZ-1", "Anna Alt", "Markt 1", "39517", "Tangerhütte", 1234.5])
    sheet.append(["KZ-2", "Bernd Bau", "Weg 2", "39517", "Tangerhütte", "viel"])
    out = io.BytesIO()
    book.save(out)
    checked = file_check(filename="umlage.xlsx", content=out.getvalue(), needed=["betrag"])
    assert [str(p) for p in checked.problems] == [
        "Zeile 3, Spalte F (betrag): „viel“ ist kein Betrag (z. B. 1.234,50)."
    ]


def test_a_good_file_is_split_between_mailbox_and_print_with_postage(
    client_a: Client, template_a: Template, notices_a: Municipality
) -> None:
    make_staff(notices_a, client_a, CLERK, email="kasse@example.org")
    citizen(notices_a, email="erika@example.org")
    citizen(notices_a, email="nein@example.org", consent=False)

    response = _upload(
        client_a, template_a, rows(3, mailbox=("erika@example.org", "nein@example.org"))
    )

    assert response.status_code == 302  # type: ignore[attr-defined]
    page = text_of(client_a.get(response["Location"]).content.decode())  # type: ignore[index]
    assert "Empfänger 5" in page
    assert "ins Postfach 1" in page
    assert "als Brief 4" in page
    assert "Porto (geschätzt) 3,80 €" in page
    assert "Alle 4 Briefe bestehen die Druckprüfung" in page
    with tenant_context(notices_a):
        run = Run.objects.get()
        routes = dict(run.recipients.values_list("recipient_key", "route"))
        assert routes["erika@example.org"] == "mailbox"
        assert routes["nein@example.org"] == "print"  # no consent: by letter
        assert run_split(run=run).postage == Decimal("3.80")
        preview = client_a.get(f"/staff/notices/runs/{run.public_id}/preview.pdf?line=4")
    assert preview["Content-Type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(preview.content)) as pdf:
        assert pikepdf.pdfa.check(pdf, "2b").verdict == "pass"
        assert len(pdf.pages) == 1


def test_a_letter_too_long_or_an_address_too_wide_fails_the_preflight(
    client_a: Client, template_a: Template, notices_a: Municipality
) -> None:
    make_staff(notices_a, client_a, CLERK, email="kasse@example.org")
    long_name = "Freiherr " * 12
    content = (
        HEADER + f"KZ-1;{long_name};Markt 1;39517;Tangerhütte;{'Flur 1 ' * 600};2026;1,00\n"
        "KZ-2;Anna Alt;Markt 2;39517;Tangerhütte;Flur 2;2026;1,00\n"
    ).encode()

    response = _upload(client_a, template_a, content)
    assert response.status_code == 302, text_of(response.content.decode())  # type: ignore[attr-defined]
    page = text_of(client_a.get(response["Location"]).content.decode())  # type: ignore[index]

    assert "1 Brief besteht die Druckprüfung nicht." in page
    assert "Zeile 2 (KZ-1):" in page
    assert "Die Anschrift passt nicht in das Adressfenster." in page
    assert "Der Text ist zu lang für eine Seite" in page
    assert "Zeile 3" not in page.split("Druckprüfung")[1].split("Freigeben")[0]


def test_the_shipped_sample_file_has_2100_good_rows_a_third_for_the_mailbox() -> None:
    from rathaus.modules.notices.demo_data import SAMPLE_FILE, sample_lines

    content = SAMPLE_FILE.read_bytes()
    assert content.decode().splitlines() == sample_lines()
    checked = file_check(filename=SAMPLE_FILE.name, content=content, needed=["betrag", "jahr"])
    assert checked.ok, checked.problems[:3]
    assert len(checked.rows) == 2100
    assert sum("@" in row.recipient_key for row in checked.rows) == 700
