"""The citizen's payments in the REST API: their own only, in their own town, with the state
and the receipt's link; an app reads them with ``payments:read`` and nothing else."""

from urllib.parse import urlsplit

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.identity.models import User
from rathaus.platform.payments.models import Payment
from rathaus.platform.payments.services import payment_mark_paid
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.platform.payments.conftest import SYSTEM, ask, invoice_on

API = "/api/v1/payments/"


def person(town: Municipality, email: str) -> User:
    with tenant_context(town):
        return UserFactory.create(email=email)


def log_in(client: Client, email: str) -> None:
    answer = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert answer.status_code == 302, answer.content.decode()


def payment_of(town: Municipality, user: User, amount: str, ref: str) -> Payment:
    return ask(town, amount, ref=ref, user=user)


def test_a_citizen_lists_their_payments_with_state_and_receipt(
    client_a: Client, client_b: Client, town_a: Municipality, town_b: Municipality, heard: list
) -> None:
    invoice_on(town_a)
    invoice_on(town_b)
    erika = person(town_a, "erika@example.org")
    max_ = person(town_a, "max@example.org")
    erika_b = person(town_b, "erika@example.org")  # the same address, another town's account
    older = payment_of(town_a, erika, "60.00", "A-1")
    newer = payment_of(town_a, erika, "12.50", "A-2")
    payment_of(town_a, max_, "30.00", "A-3")
    payment_of(town_b, erika_b, "99.00", "B-1")
    with tenant_context(town_a):
        payment_mark_paid(town=town_a, payment=older, actor=SYSTEM)

    anonymous = client_a.get(API)
    log_in(client_a, erika.email)
    mine = client_a.get(API).json()
    log_in(client_b, erika_b.email)
    theirs = client_b.get(API).json()

    assert anonymous.status_code in (401, 403)
    assert mine["count"] == 2
    first, second = mine["results"]
    assert [first["kassenzeichen"], second["kassenzeichen"]] == [
        newer.kassenzeichen,
        older.kassenzeichen,
    ]
    assert (second["amount"], second["currency"], second["state"]) == ("60.00", "EUR", "paid")
    assert second["state_label"] == "bezahlt"
    assert second["paid_at"]
    assert (first["state"], first["paid_at"]) == ("started", None)
    link = urlsplit(second["receipt_url"])
    receipt = client_a.get(link.path)
    assert link.hostname
    assert link.hostname.startswith(town_a.slug)
    assert receipt.status_code == 200
    assert older.kassenzeichen in receipt.content.decode()
    assert client_b.get(link.path).status_code == 404  # town A's link on town B
    assert [row["amount"] for row in theirs["results"]] == ["99.00"]


def test_an_app_reads_payments_only_with_the_payments_scope(
    client_a: Client, town_a: Municipality, heard: list
) -> None:
    from rathaus.tenants.services import town_host
    from tests.conftest import host_client
    from tests.platform.oauth.helpers import allow, bearer, exchange, pkce, register_app

    invoice_on(town_a)
    erika = person(town_a, "erika@example.org")
    payment_of(town_a, erika, "60.00", "A-1")
    app = register_app(town_a)
    log_in(client_a, erika.email)
    app_client = host_client(town_host(slug=town_a.slug))

    def token(scope: str) -> str:
        proof = pkce()
        code = allow(client_a, app, proof, scope)
        return str(exchange(app_client, app, code, proof.verifier).json()["access_token"])

    read = app_client.get(API, headers=bearer(token("payments:read")))
    other = app_client.get(API, headers=bearer(token("appointments:read")))

    assert read.status_code == 200
    assert read.json()["count"] == 1
    assert other.status_code == 403
    assert "payments:read" in other.json()["detail"]
