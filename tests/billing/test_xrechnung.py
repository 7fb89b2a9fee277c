"""Every invoice as an XRechnung (CII) for the town's Leitweg-ID, valid against the schema."""

from decimal import Decimal

import pytest
import stripe
from django.core.exceptions import ValidationError
from django.test import Client
from lxml import etree

from rathaus.billing.models import BillingAccount, Invoice
from rathaus.billing.subscriptions import billing_subscription_sync
from rathaus.billing.webhooks import stripe_event_apply, stripe_event_store
from rathaus.billing.xrechnung import XRECHNUNG_3, invoice_xrechnung
from rathaus.tenants.models import Municipality
from tests.billing.helpers import allow_only, stripe_events

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
}
SUM = ".//ram:SpecifiedTradeSettlementHeaderMonetarySummation"
SCHEMA = "drafthorse/schema/Factur-X_1.0.07_EN16931.xsd"


@pytest.fixture
def invoice(town_a: Municipality, stripe_api: stripe.StripeClient) -> Invoice:
    allow_only(town_a, "contact", "news")
    billing_subscription_sync(town=town_a)
    BillingAccount.objects.filter(town=town_a).update(leitweg_id="15090520-RH001-43")
    for event in stripe_events(stripe_api, "invoice.finalized"):
        stripe_event_store(event=event)
        stripe_event_apply(event_id=event.id)
    return Invoice.objects.select_related("account__town").get(account__town=town_a)


def _schema() -> etree.XMLSchema:
    import drafthorse

    base = drafthorse.__path__[0].rsplit("/drafthorse", 1)[0]
    return etree.XMLSchema(etree.parse(f"{base}/{SCHEMA}"))


def test_an_invoice_becomes_an_xrechnung_that_the_schema_accepts(invoice: Invoice) -> None:
    xml = etree.fromstring(invoice_xrechnung(invoice=invoice))

    _schema().assertValid(xml)
    text = lambda path: xml.findtext(path, namespaces=NS)  # noqa: E731
    assert text(".//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == XRECHNUNG_3
    assert text(".//ram:BuyerReference") == "15090520-RH001-43"
    assert text("rsm:ExchangedDocument/ram:ID") == invoice.number
    assert text(".//ram:BuyerTradeParty/ram:Name") == "Tangerhütte"
    assert len(xml.findall(".//ram:IncludedSupplyChainTradeLineItem", NS)) == 2
    assert Decimal(text(f"{SUM}/ram:LineTotalAmount")) == Decimal("48.00")
    assert Decimal(text(f"{SUM}/ram:TaxTotalAmount")) == Decimal("9.12")
    assert Decimal(text(f"{SUM}/ram:GrandTotalAmount")) == Decimal("57.12")
    assert Decimal(text(f"{SUM}/ram:DuePayableAmount")) == Decimal("57.12")


def test_without_a_leitweg_id_there_is_no_xrechnung_and_it_says_why(invoice: Invoice) -> None:
    BillingAccount.objects.filter(pk=invoice.account_id).update(leitweg_id="")
    invoice.account.refresh_from_db()

    with pytest.raises(ValidationError, match="Leitweg-ID"):
        invoice_xrechnung(invoice=invoice)


def test_a_leitweg_id_in_the_wrong_form_is_refused(invoice: Invoice) -> None:
    account = invoice.account
    account.leitweg_id = "Tangerhütte"
    with pytest.raises(ValidationError) as error:
        account.full_clean()
    assert "leitweg_id" in error.value.message_dict


def test_the_town_admin_downloads_it_and_another_town_cannot(
    invoice: Invoice, client_a: Client, client_b: Client
) -> None:
    from tests.billing.test_pages import _login

    admin = _login(client_a, invoice.account.town, "kasse@tangerhuette.de", ["town_admin"])
    url = f"/staff/billing/{invoice.stripe_id}/xrechnung.xml"
    answer = admin.get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/xml")
    assert f"{invoice.number}.xml" in answer["Content-Disposition"]
    _schema().assertValid(etree.fromstring(answer.content))
    assert "XRechnung" in admin.get("/staff/billing/").content.decode()

    from rathaus.tenants.models import Municipality as Town

    other = _login(client_b, Town.objects.get(slug="hohe-boerde"), "kasse@hb.de", ["town_admin"])
    assert other.get(url).status_code == 404
