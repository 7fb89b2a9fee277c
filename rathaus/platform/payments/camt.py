"""Bank statements (ISO 20022 camt.053, any version ``camt.053.001.*``): incoming transfers
matched to open payments by Kassenzeichen and amount.

The file is read with lxml without entities or network access. Each credit entry
(``Ntry`` with ``CdtDbtInd`` = ``CRDT``) gives its amount, currency, booking date and
remittance text (``RmtInf/Ustrd``, else the end-to-end id); a Kassenzeichen found in
the text (with or without its dashes, its check digit right) whose open payment asks
exactly that amount and currency is marked paid; everything else is listed for staff.
A bad file is refused naming the line (and column) of what is wrong.
"""

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation

from lxml import etree

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from . import states
from .models import Payment
from .services import kassenzeichen_is_valid, payment_move

KASSENZEICHEN = re.compile(r"(?<!\d)(\d{4})-?(\d{6})-?(\d)(?!\d)")


class StatementRefused(ValueError):  # noqa: N818 (reads as what happened)
    """A file that is no camt.053 statement; the message names the line (and column)."""


@dataclass(frozen=True)
class Transfer:
    line: int
    amount: Decimal
    currency: str
    booked: str
    text: str
    kassenzeichen: str = ""
    payment: str = ""  # the payment's Kassenzeichen when matched
    why: str = ""  # why it was not matched


@dataclass
class StatementResult:
    matched: list[Transfer] = field(default_factory=list)
    unmatched: list[Transfer] = field(default_factory=list)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname


def _child(element: etree._Element, *path: str) -> etree._Element | None:
    found: etree._Element | None = element
    for name in path:
        if found is None:
            return None
        found = next((c for c in found if isinstance(c.tag, str) and _local(c) == name), None)
    return found


def _text(element: etree._Element, *path: str) -> str:
    found = _child(element, *path)
    return (found.text or "").strip() if found is not None else ""


def _entries(raw: bytes) -> list[etree._Element]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise StatementRefused(f"line {line}, column {column}: {error.msg}") from None
    namespace = etree.QName(root).namespace or ""
    if _local(root) != "Document" or not namespace.startswith(
        "urn:iso:std:iso:20022:tech:xsd:camt.053"
    ):
        raise StatementRefused(
            f"line {root.sourceline}: no camt.053 document "
            f"(found <{_local(root)}> in {namespace or 'no namespace'})"
        )
    statement = _child(root, "BkToCstmrStmt")
    if statement is None:
        raise StatementRefused(f"line {root.sourceline}: <BkToCstmrStmt> is missing")
    return [
        e
        for stmt in statement
        if isinstance(stmt.tag, str) and _local(stmt) == "Stmt"
        for e in stmt
        if isinstance(e.tag, str) and _local(e) == "Ntry"
    ]


def statement_transfers(raw: bytes) -> list[Transfer]:
    """The incoming transfers of a camt.053 file; raises ``StatementRefused`` naming the line."""
    transfers = []
    for entry in _entries(raw):
        if _text(entry, "CdtDbtInd") != "CRDT":
            continue
        amount_element = _child(entry, "Amt")
        if amount_element is None:
            raise StatementRefused(f"line {entry.sourceline}: the entry has no <Amt>")
        try:
            amount = Decimal((amount_element.text or "").strip())
        except InvalidOperation:
            raise StatementRefused(
                f"line {amount_element.sourceline}: amount {amount_element.text!r} is no number"
            ) from None
        details = _child(entry, "NtryDtls", "TxDtls")
        texts = []
        if details is not None:
            info = _child(details, "RmtInf")
            if info is not None:
                texts = [
                    (c.text or "").strip()
                    for c in info
                    if isinstance(c.tag, str) and _local(c) == "Ustrd"
                ]
            if not texts:
                texts = [_text(details, "Refs", "EndToEndId")]
        text = " ".join(t for t in texts if t)
        found = next(
            (
                f"{m[1]}-{m[2]}-{m[3]}"
                for m in KASSENZEICHEN.finditer(text)
                if kassenzeichen_is_valid(f"{m[1]}{m[2]}{m[3]}")
            ),
            "",
        )
        transfers.append(
            Transfer(
                line=entry.sourceline or 0,
                amount=amount,
                currency=amount_element.get("Ccy", ""),
                booked=_text(entry, "BookgDt", "Dt") or _text(entry, "BookgDt", "DtTm"),
                text=text,
                kassenzeichen=found,
            )
        )
    return transfers


def statement_import(*, town: Municipality, raw: bytes, actor: Actor) -> StatementResult:
    """Marks paid every open payment a transfer names with its exact amount; lists the rest."""
    result = StatementResult()
    for transfer in statement_transfers(raw):
        payment = (
            Payment.objects.filter(kassenzeichen=transfer.kassenzeichen).first()
            if transfer.kassenzeichen
            else None
        )
        why = ""
        if payment is None:
            why = "no Kassenzeichen of this town" if transfer.kassenzeichen else "no Kassenzeichen"
        elif payment.state not in states.OPEN:
            why = f"payment is {payment.get_state_display()}"
        elif (payment.amount, payment.currency) != (transfer.amount, transfer.currency):
            paid = f"{transfer.amount} {transfer.currency}"
            why = f"{paid} paid, {payment.amount} {payment.currency} asked"
        if why or payment is None:
            result.unmatched.append(replace(transfer, why=why))
            continue
        payment_move(
            town=town,
            payment=payment,
            to=Payment.State.PAID,
            actor=actor,
            note=f"camt.053 {transfer.booked}: {transfer.text}"[:200],
        )
        result.matched.append(replace(transfer, payment=payment.kassenzeichen))
    return result
