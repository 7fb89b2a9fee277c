"""Pay on invoice or at the counter: the town admin sets up the bank details, the citizen's page
shows them with the Kassenzeichen, staff mark the payment paid; each town sees its own only."""

import csv
import io

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import audit_lines
from rathaus.platform.payments.models import Payment, ProviderConfig
from rathaus.platform.payments.tokens import payment_path
from rathaus.tenants.models import Municipality
from tests.platform.payments.conftest import IBAN, ask, invoice_on, town_admin

SETTINGS = {
    "enabled": "on",
    "account_holder": "Stadtkasse Tangerhütte",
    "iban": "DE89 3704 0044 0532 0130 00",
    "bank_name": "Commerzbank",
    "due_days": "14",
}


def test_the_town_admin_sets_up_the_bank_account_and_a_wrong_iban_is_named(
    client_a: Client, town_a: Municipality
) -> None:
    town_admin(town_a, client_a)

    wrong = client_a.post("/staff/payments/providers/invoice/", {**SETTINGS, "iban": "DE00 1234"})
    saved = client_a.post("/staff/payments/providers/invoice/", SETTINGS)
    overview = client_a.get("/staff/payments/providers/").content.decode()

    assert wrong.status_code == 400
    assert "Diese IBAN stimmt nicht" in wrong.content.decode()
    assert saved.status_code == 302
    assert "angeboten" in overview
    with tenant_context(town_a):
        config = ProviderConfig.objects.get(provider="invoice")
        [line] = audit_lines(AuditEntry.objects.filter(action="payments.provider.configure"))
    assert config.enabled
    assert config.options["iban"] == IBAN
    assert "Überweisung oder Zahlung an der Kasse" in line.sentence


def test_the_citizen_sees_the_kassenzeichen_and_bank_details_until_staff_mark_it_paid(
    client_a: Client, town_a: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    payment = ask(town_a)
    with tenant_context(town_a):
        path = payment_path(payment=payment)
    citizen = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"])

    before = citizen.get(path).content.decode()
    town_admin(town_a, client_a)
    detail = client_a.get(f"/staff/payments/{payment.kassenzeichen}/").content.decode()
    marked = client_a.post(f"/staff/payments/{payment.kassenzeichen}/paid/", {"note": "bar"})
    twice = client_a.post(f"/staff/payments/{payment.kassenzeichen}/paid/", {"note": ""})
    after = citizen.get(path).content.decode()

    assert payment.kassenzeichen in before
    assert "DE89 3704 0044 0532 0130 00" in before
    assert "COBADEFFXXX" in before  # the BIC, from the IBAN
    assert f"{payment.kassenzeichen} Hundesteuer Bello" in before  # the transfer's reference
    assert "Als bezahlt vermerken" in detail
    assert marked.status_code == 302
    assert "Diese Zahlung ist nicht mehr offen" in client_a.get(twice["Location"]).content.decode()
    assert "Vielen Dank, Ihre Zahlung ist eingegangen" in after
    assert "DE89 3704" not in after
    assert heard == [("paid", payment.kassenzeichen, "A-1")]
    with tenant_context(town_a):
        assert Payment.objects.get(pk=payment.pk).state == Payment.State.PAID


def test_staff_export_the_period_for_the_treasury_with_budget_lines(
    client_a: Client, town_a: Municipality, heard: list[tuple[str, str, str]]
) -> None:
    invoice_on(town_a)
    payment = ask(town_a, amount="1234.50")
    town_admin(town_a, client_a)
    today = payment.created_at.date().isoformat()

    listed = client_a.get("/staff/payments/", {"start": today, "end": today}).content.decode()
    answer = client_a.get("/staff/payments/export.csv", {"start": today, "end": today})
    later = client_a.get("/staff/payments/export.csv", {"start": "2099-01-01"})
    backwards = client_a.get("/staff/payments/", {"start": today, "end": "2000-01-01"})

    assert payment.kassenzeichen in listed
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["Kassenzeichen"] == payment.kassenzeichen
    assert rows[0]["Betrag"] == "1234,50"
    assert rows[0]["Haushaltsstelle"] == "1.1.2.01.4032"
    assert rows[0]["Objektnummer"] == "HU-0815"
    assert len(later.content.decode("utf-8-sig").splitlines()) == 1  # the header only
    assert backwards.status_code == 400
    assert "Das Ende liegt vor dem Anfang" in backwards.content.decode()


def test_a_towns_payment_is_never_found_on_another_towns_host(
    client_a: Client,
    client_b: Client,
    town_a: Municipality,
    town_b: Municipality,
    heard: list[tuple[str, str, str]],
) -> None:
    invoice_on(town_a)
    payment = ask(town_a)
    with tenant_context(town_a):
        path = payment_path(payment=payment)
    town_admin(town_b, client_b, email="kasse-b@example.org")

    assert client_a.get(path).status_code == 200
    assert client_b.get(path).status_code == 404
    assert client_b.get(f"/staff/payments/{payment.kassenzeichen}/").status_code == 404
    assert client_b.post(f"/staff/payments/{payment.kassenzeichen}/paid/").status_code == 404
    assert payment.kassenzeichen not in client_b.get("/staff/payments/").content.decode()


def test_only_the_town_admin_opens_the_payments(client_a: Client, town_a: Municipality) -> None:
    assert client_a.get("/staff/payments/").status_code == 302  # to the login
