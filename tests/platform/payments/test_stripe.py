"""Stripe Checkout against localstripe: the citizen pays on Stripe's page and comes back; webhooks
on the town's host are verified with the town's secret, stored once and applied in any order to
the same end; forged amounts and other towns' payments are refused; refunds reach Stripe."""

import json
from decimal import Decimal
from typing import Any

import stripe
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.payments.models import Payment, ProviderConfig, ProviderEvent
from rathaus.platform.payments.services import (
    payment_refund,
)
from rathaus.platform.payments.tokens import payment_path
from rathaus.tenants.models import Municipality
from tests.platform.payments.conftest import (
    SYSTEM,
    WEBHOOK,
    apply_all,
    ask,
    deliver,
    secret_of,
    stripe_on,
)
from tests.stripe_standin import standin, stripe_events

State = Payment.State


def pay_on_stripe(client: Client, payment: Payment, town: Municipality, **data: str) -> Any:
    """The citizen presses "Jetzt bezahlen" and pays on Stripe's page; the session as it is."""
    with tenant_context(town):
        path = payment_path(payment=payment)
    started = client.post(f"{path}pay/", {"amount": "0.01"})  # a forged amount is not read
    assert started.status_code == 302, started.content.decode()
    session_id = started["Location"].rsplit("/", 1)[-1]
    done = json.loads(standin(f"/_checkout/sessions/{session_id}/complete", **data))
    return path, done


def test_the_citizen_pays_by_card_on_stripe_and_the_module_hears_it_once(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
    queued: list[int],
) -> None:
    stripe_on(town_a)
    payment = ask(town_a, provider="stripe")

    path, done = pay_on_stripe(client_a, payment, town_a)
    session = stripe_api.v1.checkout.sessions.retrieve(done["id"])
    back = client_a.get(f"{path}return/")
    page = client_a.get(back["Location"]).content.decode()
    first = deliver(client_a, done["_event"], town_a)
    again = deliver(client_a, done["_event"], town_a)  # Stripe delivers at least once

    assert (session.amount_total, session.currency) == (6000, "eur")
    assert session.to_dict()["metadata"]["payment"] == str(payment.public_id)
    assert "Vielen Dank, Ihre Zahlung ist eingegangen" in page
    assert (first.content, again.content) == (b"ok", b"known")
    assert apply_all(town_a, queued) == [False]  # paid already, by the return page
    assert heard == [("paid", payment.kassenzeichen, "A-1")]
    with tenant_context(town_a):
        assert ProviderEvent.objects.get().outcome == "no change (paid)"
        assert Payment.objects.get(pk=payment.pk).provider_ref == done["id"]


def test_events_in_any_order_or_twice_end_in_the_same_state(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
    queued: list[int],
) -> None:
    stripe_on(town_a)
    payment = ask(town_a, provider="stripe")
    _path, done = pay_on_stripe(client_a, payment, town_a, payment_status="unpaid")  # SEPA
    later = json.loads(standin(f"/_checkout/sessions/{done['id']}/async", outcome="succeeded"))

    deliver(client_a, later["_event"], town_a)  # the later event comes first
    deliver(client_a, done["_event"], town_a)
    deliver(client_a, later["_event"], town_a)

    assert len(queued) == 2
    assert apply_all(town_a, queued) == [True, False]
    assert apply_all(town_a, queued) == [False, False]  # applied once only
    with tenant_context(town_a):
        assert Payment.objects.get(pk=payment.pk).state == State.PAID
    assert heard == [("paid", payment.kassenzeichen, "A-1")]


def test_a_failed_debit_lets_the_module_know_and_the_payment_stays_failed(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
    queued: list[int],
) -> None:
    stripe_on(town_a)
    payment = ask(town_a, provider="stripe")
    path, done = pay_on_stripe(client_a, payment, town_a, payment_status="unpaid")
    failed = json.loads(standin(f"/_checkout/sessions/{done['id']}/async", outcome="failed"))

    deliver(client_a, done["_event"], town_a)
    deliver(client_a, failed["_event"], town_a)
    apply_all(town_a, queued)
    page = client_a.get(path).content.decode()

    with tenant_context(town_a):
        assert Payment.objects.get(pk=payment.pk).state == State.FAILED
    assert heard == [("failed", payment.kassenzeichen, "A-1")]
    assert "Die Zahlung ist nicht zustande gekommen" in page
    assert "Jetzt bezahlen" not in page


def test_a_session_with_a_forged_amount_never_marks_the_payment_paid(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
    queued: list[int],
) -> None:
    stripe_on(town_a)
    payment = ask(town_a, provider="stripe")
    with tenant_context(town_a):
        schema = town_a.schema_name
    forged = stripe_api.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": "eur",
                        "unit_amount": 100,
                        "product_data": {"name": "x"},
                    },
                }
            ],
            "metadata": {"payment": str(payment.public_id), "town": schema},
            "success_url": "http://example.org/",
            "cancel_url": "http://example.org/",
        }
    )
    done = json.loads(standin(f"/_checkout/sessions/{forged.id}/complete"))

    assert deliver(client_a, done["_event"], town_a).status_code == 200
    assert apply_all(town_a, queued) == [False]
    with tenant_context(town_a):
        assert Payment.objects.get(pk=payment.pk).state == State.STARTED
        assert ProviderEvent.objects.get().outcome.startswith("refused: ")
        assert "1.00 eur paid, 60.00 EUR asked" in ProviderEvent.objects.get().outcome
        assert AuditEntry.objects.filter(action="payments.payment.refused").exists()
    assert heard == []


def test_a_webhook_naming_another_towns_payment_is_refused(
    client_a: Client,
    client_b: Client,
    town_a: Municipality,
    town_b: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
    queued: list[int],
) -> None:
    stripe_on(town_a)
    stripe_on(town_b)
    payment = ask(town_a, provider="stripe")
    _path, done = pay_on_stripe(client_a, payment, town_a)

    with_a_secret = deliver(client_b, done["_event"], town_b, secret=secret_of(town_a))
    with_b_secret = deliver(client_b, done["_event"], town_b)

    assert with_a_secret.status_code == 400  # town B's endpoint knows only B's secret
    assert with_b_secret.status_code == 200
    assert apply_all(town_b, queued) == [False]
    with tenant_context(town_b):
        assert ProviderEvent.objects.get().outcome.startswith("refused: no payment")
    with tenant_context(town_a):
        assert Payment.objects.get(pk=payment.pk).state == State.STARTED
        assert not ProviderEvent.objects.exists()


def test_a_bad_signature_is_refused_and_nothing_is_stored(
    client_a: Client, town_a: Municipality, stripe_api: stripe.StripeClient, queued: list[int]
) -> None:
    stripe_on(town_a)
    event = {"id": "evt_forged", "type": "checkout.session.completed", "data": {"object": {}}}

    answers = [
        deliver(client_a, event, town_a, secret="whsec_someone_else").status_code,
        client_a.post(WEBHOOK, b"{}", content_type="application/json").status_code,
    ]

    assert answers == [400, 400]
    assert queued == []
    with tenant_context(town_a):
        assert not ProviderEvent.objects.exists()


def test_a_town_without_stripe_has_no_webhook(client_b: Client, town_b: Municipality) -> None:
    assert client_b.post(WEBHOOK, b"{}", content_type="application/json").status_code == 404


def test_a_refund_reaches_stripe_in_full_or_in_part(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
) -> None:
    stripe_on(town_a)
    payment = ask(town_a, provider="stripe")
    path, _done = pay_on_stripe(client_a, payment, town_a)
    client_a.get(f"{path}return/")

    with tenant_context(town_a):
        payment_refund(town=town_a, payment=payment, amount=Decimal("20.00"), actor=SYSTEM)
        payment_refund(town=town_a, payment=payment, amount=Decimal("40.00"), actor=SYSTEM)
        stored = Payment.objects.get(pk=payment.pk)
        notes = [
            (e.after or {}).get("note", "")
            for e in AuditEntry.objects.filter(action__startswith="payments.payment.").order_by(
                "pk"
            )
            if "refund" in e.action
        ]

    refunds = stripe_events(stripe_api, "charge.refunded")
    assert sorted(e.data.object.amount_refunded for e in refunds) == [2000, 6000]
    assert (stored.state, stored.refunded_amount) == (State.REFUNDED, Decimal("60.00"))
    assert all(note.startswith("re_") for note in notes)
    assert heard[1:] == [
        ("refunded", payment.kassenzeichen, "20.00"),
        ("refunded", payment.kassenzeichen, "40.00"),
    ]


def test_the_secrets_are_stored_encrypted_and_never_shown_again(
    client_a: Client, town_a: Municipality
) -> None:
    from tests.platform.payments.conftest import town_admin

    town_admin(town_a, client_a)
    saved = client_a.post(
        "/staff/payments/providers/stripe/",
        {"enabled": "on", "secret_key": "sk_test_geheim", "webhook_secret": "whsec_geheim"},
    )
    page = client_a.get("/staff/payments/providers/stripe/").content.decode()
    kept = client_a.post("/staff/payments/providers/stripe/", {"enabled": "on"})
    wrong = client_a.post(
        "/staff/payments/providers/stripe/", {"enabled": "on", "secret_key": "pk_test_public"}
    )

    assert (saved.status_code, kept.status_code, wrong.status_code) == (302, 302, 400)
    assert "geheim" not in page
    assert "Der geheime Schlüssel beginnt mit sk_ oder rk_" in wrong.content.decode()
    assert f"http://{client_a.defaults['HTTP_HOST']}/payments/webhook/stripe/" in page
    with tenant_context(town_a):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT secrets FROM payments_providerconfig WHERE provider = 'stripe'")
            raw = cursor.fetchone()[0]
        config = ProviderConfig.objects.get(provider="stripe")
    assert "geheim" not in raw
    assert "sk_test_geheim" in (config.secrets or "")


def test_the_nightly_reconciliation_finds_a_payment_whose_webhook_was_lost(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
) -> None:
    from rathaus.platform.payments.services import payments_reconcile

    stripe_on(town_a)
    paid = ask(town_a, provider="stripe", ref="A-1")
    left = ask(town_a, provider="stripe", ref="A-2")
    pay_on_stripe(client_a, paid, town_a)  # the citizen closed the tab; no webhook came
    with tenant_context(town_a):
        path = payment_path(payment=left)
    client_a.post(f"{path}pay/")  # at Stripe's page, not paid yet

    with tenant_context(town_a):
        first = payments_reconcile(town=town_a)
        again = payments_reconcile(town=town_a)
        states = dict(Payment.objects.values_list("owner_ref", "state"))

    assert first == {"asked": 2, "events": 0, "moved": 1}
    assert again == {"asked": 1, "events": 0, "moved": 0}
    assert states == {"A-1": State.PAID, "A-2": State.STARTED}
    assert heard == [("paid", paid.kassenzeichen, "A-1")]


def refund_events(api: stripe.StripeClient, session_id: str) -> list[dict[str, Any]]:
    """The stand-in's ``charge.refunded`` events of one session's payment, oldest first
    (by what was refunded so far: two in one second are listed in either order)."""
    intent = api.v1.checkout.sessions.retrieve(session_id).payment_intent
    events = [
        event.to_dict()
        for event in stripe_events(api, "charge.refunded")
        if event.data.object.payment_intent == intent
    ]
    return sorted(events, key=lambda event: event["data"]["object"]["amount_refunded"])


def test_a_refund_made_in_the_stripe_dashboard_is_applied_once_in_any_order(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
    queued: list[int],
) -> None:
    stripe_on(town_a)
    payment = ask(town_a, provider="stripe")
    path, done = pay_on_stripe(client_a, payment, town_a)
    client_a.get(f"{path}return/")
    intent = stripe_api.v1.checkout.sessions.retrieve(done["id"]).payment_intent

    # In the dashboard: 15 EUR back; the event comes twice.
    stripe_api.v1.refunds.create(params={"payment_intent": str(intent), "amount": 1500})
    first = refund_events(stripe_api, done["id"])[0]
    deliver(client_a, first, town_a)
    deliver(client_a, first, town_a)
    partly = apply_all(town_a, queued)
    with tenant_context(town_a):
        after_first = Payment.objects.get(pk=payment.pk)
    # The rest, later; its event arrives before a late copy of the first one.
    stripe_api.v1.refunds.create(params={"payment_intent": str(intent)})
    second = refund_events(stripe_api, done["id"])[1]
    queued.clear()
    deliver(client_a, second, town_a)
    deliver(client_a, {**first, "id": first["id"] + "_late"}, town_a)
    rest = apply_all(town_a, queued)

    assert partly == [True]  # stored once
    assert (after_first.state, after_first.refunded_amount) == (
        State.PARTLY_REFUNDED,
        Decimal("15.00"),
    )
    assert rest == [True, False]
    with tenant_context(town_a):
        stored = Payment.objects.get(pk=payment.pk)
        outcomes = list(ProviderEvent.objects.order_by("pk").values_list("outcome", flat=True))
    assert (stored.state, stored.refunded_amount) == (State.REFUNDED, Decimal("60.00"))
    assert outcomes[-3:] == ["refunded", "refunded", "no change (refunded)"]
    assert heard[1:] == [
        ("refunded", payment.kassenzeichen, "15.00"),
        ("refunded", payment.kassenzeichen, "45.00"),
    ]


def test_the_event_of_a_refund_made_here_changes_nothing(
    client_a: Client,
    town_a: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
    queued: list[int],
) -> None:
    stripe_on(town_a)
    payment = ask(town_a, provider="stripe")
    path, done = pay_on_stripe(client_a, payment, town_a)
    client_a.get(f"{path}return/")

    with tenant_context(town_a):
        payment_refund(town=town_a, payment=payment, amount=Decimal("20.00"), actor=SYSTEM)
    for event in refund_events(stripe_api, done["id"]):
        deliver(client_a, event, town_a)

    assert apply_all(town_a, queued) == [False]
    with tenant_context(town_a):
        stored = Payment.objects.get(pk=payment.pk)
    assert (stored.state, stored.refunded_amount) == (State.PARTLY_REFUNDED, Decimal("20.00"))
    assert heard[1:] == [("refunded", payment.kassenzeichen, "20.00")]


def test_a_refund_event_of_another_towns_payment_is_refused(
    client_a: Client,
    client_b: Client,
    town_a: Municipality,
    town_b: Municipality,
    stripe_api: stripe.StripeClient,
    heard: list[tuple[str, str, str]],
    queued: list[int],
) -> None:
    stripe_on(town_a)
    stripe_on(town_b)
    payment = ask(town_a, provider="stripe")
    path, done = pay_on_stripe(client_a, payment, town_a)
    client_a.get(f"{path}return/")
    intent = stripe_api.v1.checkout.sessions.retrieve(done["id"]).payment_intent
    stripe_api.v1.refunds.create(params={"payment_intent": str(intent), "amount": 1000})

    deliver(client_b, refund_events(stripe_api, done["id"])[0], town_b)

    assert apply_all(town_b, queued) == [False]
    with tenant_context(town_b):
        assert ProviderEvent.objects.get().outcome.startswith("refused: no payment")
    with tenant_context(town_a):
        assert Payment.objects.get(pk=payment.pk).refunded_amount == Decimal("0.00")
