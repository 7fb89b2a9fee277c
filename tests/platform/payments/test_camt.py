"""A camt.053 bank statement: a transfer naming a Kassenzeichen with its amount marks the payment
paid; unknown ones, other amounts and debits are listed; a bad file is refused naming the line."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.payments.camt import StatementRefused, statement_transfers
from rathaus.platform.payments.models import Payment
from rathaus.tenants.models import Municipality
from tests.platform.payments.conftest import ask, invoice_on, town_admin

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


def entry(amount: str, text: str, *, credit: bool = True, currency: str = "EUR") -> str:
    return f"""
      <Ntry>
        <Amt Ccy="{currency}">{amount}</Amt>
        <CdtDbtInd>{"CRDT" if credit else "DBIT"}</CdtDbtInd>
        <Sts>BOOK</Sts>
        <BookgDt><Dt>2026-12-02</Dt></BookgDt>
        <NtryDtls><TxDtls>
          <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RmtInf><Ustrd>{text}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>"""


def statement(*entries: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>STMT-1</MsgId><CreDtTm>2026-12-03T06:00:00</CreDtTm></GrpHdr>
    <Stmt>
      <Id>1</Id>
      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>{"".join(entries)}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()


def _upload(client: Client, raw: bytes) -> str:
    answer = client.post(
        "/staff/payments/statement/",
        {"file": SimpleUploadedFile("auszug.xml", raw, content_type="application/xml")},
    )
    return answer.content.decode()


def test_one_matching_and_one_unknown_transfer_mark_one_paid_and_list_the_other(
    client_a: Client, town_a: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    payment = ask(town_a)
    other = ask(town_a, amount="90.00", ref="A-2")
    town_admin(town_a, client_a)
    digits = payment.kassenzeichen.replace("-", "")
    raw = statement(
        entry("60.00", f"Hundesteuer {digits} Erika Mustermann"),
        entry("45.00", "Spende Feuerwehr"),
        entry("60.00", f"{other.kassenzeichen} zu wenig"),
        entry("12.00", f"{payment.kassenzeichen} Gebuehr Bank", credit=False),
    )

    page = _upload(client_a, raw)

    with tenant_context(town_a):
        states = dict(Payment.objects.values_list("owner_ref", "state"))
    assert states == {"A-1": Payment.State.PAID, "A-2": Payment.State.STARTED}
    assert "1 Zahlung als bezahlt vermerkt" in page
    assert "Spende Feuerwehr" in page
    assert "no Kassenzeichen" in page
    assert "60.00 EUR paid, 90.00 EUR asked" in page
    assert "Gebuehr Bank" not in page  # a debit is no payment to us
    assert heard == [("paid", payment.kassenzeichen, "A-1")]
    assert "payment is bezahlt" in _upload(client_a, raw)  # the same file again: nothing twice


def test_a_kassenzeichen_of_another_town_is_not_matched(
    client_b: Client, town_a: Municipality, town_b: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    payment = ask(town_a)
    town_admin(town_b, client_b, email="kasse-b@example.org")

    page = _upload(client_b, statement(entry("60.00", payment.kassenzeichen)))

    assert "no Kassenzeichen of this town" in page
    with tenant_context(town_a):
        assert Payment.objects.get(pk=payment.pk).state == Payment.State.STARTED


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"<Document><BkToCstmrStmt>", "line 1, column"),
        (b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>', "no camt.053"),
        (statement(entry("sechzig", "x")).replace(b"sechzig", b"6O,00"), "line 9: amount"),
    ],
)
def test_a_bad_file_is_refused_naming_the_line(raw: bytes, problem: str) -> None:
    with pytest.raises(StatementRefused, match=problem):
        statement_transfers(raw)


def test_the_page_names_what_is_wrong_with_the_file(client_a: Client, town_a: Municipality) -> None:
    town_admin(town_a, client_a)

    page = _upload(client_a, b"<Document>\n<BkToCstmrStmt>\n")

    assert "Die Datei passt nicht: line 3" in page


def test_transfers_are_read_with_their_amounts_as_decimals() -> None:
    [transfer] = statement_transfers(statement(entry("1234.56", "2026-000001-1")))

    assert transfer.amount == Decimal("1234.56")
    assert (transfer.currency, transfer.booked) == ("EUR", "2026-12-02")
