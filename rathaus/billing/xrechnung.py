"""XRechnung: every invoice to a German public body as an electronic invoice (UN/CEFACT CII).

``invoice_xrechnung(invoice=...)`` writes the invoice as Stripe has it (number,
dates, lines, net amounts) in the XRechnung 3.0 CII syntax with drafthorse,
addressed by the town's Leitweg-ID (BT-10, BuyerReference). drafthorse checks
the result against the EN 16931 CII schema while serializing; the KoSIT
Schematron rules of XRechnung are not run here (they need the KoSIT validator).

VAT: the prices are net; the VAT of each line is ``BILLING_VAT_RATE`` of its
net amount, worked out here. (Stripe's invoice carries that VAT only once a tax
rate is set on the subscriptions; the stand-in's invoices are net.)
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document
from drafthorse.models.note import IncludedNote
from drafthorse.models.payment import PaymentTerms
from drafthorse.models.tradelines import LineItem

from rathaus.billing.client import stripe_client
from rathaus.billing.models import Invoice
from rathaus.billing.prices import euros

XRECHNUNG_3 = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
PEPPOL_BILLING = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CENT = Decimal("0.01")


def _day(stamp: int | None) -> dt.date:
    return dt.datetime.fromtimestamp(stamp or 0, tz=dt.UTC).date()


def _vat(net: Decimal) -> Decimal:
    return (net * settings.BILLING_VAT_RATE / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def _line(number: int, line: dict[str, Any]) -> LineItem:
    item = LineItem()
    net = euros(line["amount"])
    quantity = Decimal(line.get("quantity") or 1)
    item.document.line_id = str(number)
    item.product.name = line.get("description") or line["price"]["id"]
    item.agreement.net.amount = (net / quantity).quantize(CENT) if quantity else net
    item.delivery.billed_quantity = (quantity, "C62")
    period = line.get("period") or {}
    if period.get("start") and period.get("end"):
        item.settlement.period.start = _day(period["start"])
        item.settlement.period.end = _day(period["end"])
    item.settlement.trade_tax.type_code = "VAT"
    item.settlement.trade_tax.category_code = "S"
    item.settlement.trade_tax.rate_applicable_percent = settings.BILLING_VAT_RATE
    item.settlement.monetary_summation.total_amount = net
    return item


def invoice_xrechnung(*, invoice: Invoice) -> bytes:
    """The XRechnung (CII XML) of ``invoice``; raises ``ValidationError`` without a Leitweg-ID."""
    account = invoice.account
    if not account.leitweg_id:
        raise ValidationError(
            {"leitweg_id": _("Für die E-Rechnung fehlt die Leitweg-ID der Kommune.")}
        )
    data = stripe_client().v1.invoices.retrieve(invoice.stripe_id).to_dict()
    seller = settings.BILLING_SELLER
    doc = Document()
    doc.context.business_parameter.id = PEPPOL_BILLING
    doc.context.guideline_parameter.id = XRECHNUNG_3
    doc.header.id = data.get("number") or invoice.stripe_id
    doc.header.type_code = "380"  # commercial invoice
    doc.header.issue_date_time = _day(data["created"])
    note = IncludedNote()
    note.content = f"Rathaus: Abonnement {account.town.name}"
    doc.header.notes.add(note)

    agreement = doc.trade.agreement
    agreement.buyer_reference = account.leitweg_id
    agreement.seller.name = seller["name"]
    agreement.seller.address.line_one = seller["street"]
    agreement.seller.address.postcode = seller["postcode"]
    agreement.seller.address.city_name = seller["city"]
    agreement.seller.address.country_id = "DE"
    agreement.seller.electronic_address.uri_ID = ("EM", seller["email"])
    agreement.seller.contact.person_name = seller["name"]
    agreement.seller.contact.telephone.number = seller["phone"]
    agreement.seller.contact.email.address = seller["email"]
    agreement.seller.tax_registrations.add(_tax_registration(seller["vat_id"]))
    agreement.buyer.name = account.town.name
    agreement.buyer.address.country_id = "DE"
    agreement.buyer.electronic_address.uri_ID = ("0204", account.leitweg_id)

    lines = data["lines"]["data"]
    for number, line in enumerate(lines, start=1):
        doc.trade.items.add(_line(number, line))
    if data.get("period_start") and data.get("period_end"):
        doc.trade.delivery.event.occurrence = _day(data["period_start"])

    net = sum((euros(line["amount"]) for line in lines), Decimal("0.00"))
    vat = sum((_vat(euros(line["amount"])) for line in lines), Decimal("0.00"))
    settlement = doc.trade.settlement
    settlement.currency_code = "EUR"
    settlement.payment_means.type_code = (
        "58" if data["collection_method"] == "send_invoice" else "59"
    )
    tax = ApplicableTradeTax()
    tax.calculated_amount = vat
    tax.basis_amount = net
    tax.type_code = "VAT"
    tax.category_code = "S"
    tax.rate_applicable_percent = settings.BILLING_VAT_RATE
    settlement.trade_tax.add(tax)
    terms = PaymentTerms()
    if data.get("due_date"):
        terms.due = _day(data["due_date"])
    terms.description = _("Zahlbar ohne Abzug bis zum Fälligkeitsdatum.")
    settlement.terms.add(terms)
    total = settlement.monetary_summation
    total.line_total = net
    total.charge_total = Decimal("0.00")
    total.allowance_total = Decimal("0.00")
    total.tax_basis_total = net
    total.tax_total = (vat, "EUR")
    total.grand_total = net + vat
    paid = euros(data.get("amount_paid"))
    prepaid = (net + vat) if data["status"] == "paid" else min(paid, net + vat)
    total.prepaid_total = prepaid
    total.due_amount = net + vat - prepaid
    # EN 16931 is the CII schema XRechnung's CII syntax is bound to; drafthorse checks it.
    return bytes(doc.serialize(schema="FACTUR-X_EN16931"))


def _tax_registration(vat_id: str) -> Any:
    from drafthorse.models.party import TaxRegistration

    registration = TaxRegistration()
    registration.id = ("VA", vat_id)
    return registration
