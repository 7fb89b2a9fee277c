"""Stripe's webhooks: verified, each event stored once, applied in any order to the same end."""

import datetime as dt
import json
from typing import Any

import pytest
import stripe
from django.test import Client
from django.utils import timezone

from rathaus.billing.models import BillingAccount, DunningState, Invoice, StripeEvent
from rathaus.billing.subscriptions import billing_subscription_sync
from rathaus.billing.tasks import billing_event_apply, billing_events_requeue_task
from rathaus.billing.webhooks import CLAIM_TIMEOUT, stripe_event_apply
from rathaus.tenants.models import Municipality
from tests.billing.helpers import allow_only, signed, standin, stripe_events

URL = "/billing/webhooks/stripe/"


@pytest.fixture
def subscribed(town_a: Municipality, stripe_api: stripe.StripeClient) -> BillingAccount:
    allow_only(town_a, "contact", "news")
    billing_subscription_sync(town=town_a)
    return BillingAccount.objects.get(town=town_a)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    events: list[str] = []
    monkeypatch.setattr(
        billing_event_apply, "apply_async", lambda args, **kwargs: events.append(args[0])
    )
    return events


def _post(client: Client, event: Any, *, signature: str | None = None) -> Any:
    body = json.dumps(event.to_dict() if hasattr(event, "to_dict") else event).encode()
    return client.post(
        URL,
        body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature if signature is not None else signed(body),
    )


def test_a_signed_event_is_stored_once_and_applied_after_the_commit(
    subscribed: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    [finalized] = stripe_events(stripe_api, "invoice.finalized")

    with django_capture_on_commit_callbacks(execute=True):
        first = _post(public_client, finalized)
        again = _post(public_client, finalized)  # Stripe delivers at least once

    assert (first.status_code, again.status_code) == (200, 200)
    assert StripeEvent.objects.filter(stripe_id=finalized.id).count() == 1
    assert queued == [finalized.id]
    billing_event_apply.apply(args=(finalized.id,), throw=True)
    [invoice] = Invoice.objects.filter(account=subscribed)
    assert invoice.status == "open"
    assert str(invoice.amount_due) == "48.00"
    assert invoice.pdf_url.endswith("/pdf")
    assert stripe_event_apply(event_id=finalized.id) is False  # applied once only


def test_a_bad_signature_is_refused_and_nothing_is_stored(
    subscribed: BillingAccount, stripe_api: stripe.StripeClient, public_client: Client
) -> None:
    [finalized] = stripe_events(stripe_api, "invoice.finalized")
    body = json.dumps(finalized.to_dict()).encode()
    forged = dict(finalized.to_dict(), id="evt_forged")

    answers = [
        _post(public_client, finalized, signature=signed(body, secret="whsec_someone_else")),
        _post(public_client, forged, signature=signed(body)),  # the signature of other bytes
        _post(public_client, finalized, signature=""),
        _post(public_client, finalized, signature=signed(body, at=1_000_000_000)),  # replayed
    ]

    assert [answer.status_code for answer in answers] == [400, 400, 400, 400]
    assert not StripeEvent.objects.exists()


def test_a_body_that_is_no_json_is_refused(public_client: Client, db: None) -> None:
    body = b"{not json"
    answer = public_client.post(
        URL, body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signed(body)
    )
    assert answer.status_code == 400
    assert not StripeEvent.objects.exists()


def test_the_webhook_is_not_on_a_towns_host(client_a: Client, subscribed: BillingAccount) -> None:
    assert client_a.post(URL, b"{}", content_type="application/json").status_code == 404


def _apply_all(
    public_client: Client, events: list[stripe.Event], queued: list[str], capture: Any
) -> None:
    """Delivers ``events`` in this order, then runs the applies they queued, in the same order."""
    with capture(execute=True):
        for event in events:
            _post(public_client, event)
    for event_id in queued:
        billing_event_apply.apply(args=(event_id,), throw=True)
    queued.clear()


def test_events_in_any_order_end_with_stripes_current_state(
    subscribed: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    [invoice] = stripe_api.v1.invoices.list(params={"customer": subscribed.stripe_customer_id}).data
    stripe_api.v1.invoices.pay(invoice.id, params={"paid_out_of_band": True})
    events = stripe_events(stripe_api, "invoice.finalized", "invoice.paid")

    # paid before finalized
    _apply_all(public_client, list(reversed(events)), queued, django_capture_on_commit_callbacks)

    [row] = Invoice.objects.filter(account=subscribed)
    assert row.status == "paid"
    assert str(row.amount_paid) == "48.00"


def test_a_failed_debit_then_the_subscription_update_put_the_town_past_due(
    subscribed: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    [invoice] = stripe_api.v1.invoices.list(params={"customer": subscribed.stripe_customer_id}).data
    standin(f"/_billing/invoices/{invoice.id}/fail")
    events = stripe_events(stripe_api, "invoice.payment_failed", "customer.subscription.updated")

    _apply_all(public_client, events, queued, django_capture_on_commit_callbacks)

    subscribed.refresh_from_db()
    assert subscribed.subscription_status == "past_due"
    assert subscribed.dunning_state == DunningState.PAST_DUE
    assert Invoice.objects.get(stripe_id=invoice.id).payment_failed is True


def test_an_event_of_a_customer_that_is_no_towns_is_stored_and_left(
    db: None, stripe_api: stripe.StripeClient, public_client: Client, queued: list[str]
) -> None:
    event = {
        "id": "evt_elsewhere",
        "object": "event",
        "type": "invoice.paid",
        "created": 1_800_000_000,
        "data": {"object": {"id": "in_elsewhere", "object": "invoice", "customer": "cus_x"}},
    }
    assert _post(public_client, event).status_code == 200
    assert stripe_event_apply(event_id="evt_elsewhere") is False
    assert StripeEvent.objects.get(stripe_id="evt_elsewhere").applied is not None
    assert not Invoice.objects.exists()


def test_a_subscription_deleted_marks_the_town_churned(
    subscribed: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    stripe_api.v1.subscriptions.cancel(subscribed.stripe_subscription_id)
    deleted = stripe_events(stripe_api, "customer.subscription.deleted")
    _apply_all(public_client, deleted, queued, django_capture_on_commit_callbacks)

    subscribed.refresh_from_db()
    assert subscribed.subscription_status == "canceled"


def _stored(public_client: Client, event: stripe.Event, capture: Any) -> StripeEvent:
    with capture(execute=True):
        _post(public_client, event)
    return StripeEvent.objects.get(stripe_id=event.id)


def test_an_event_another_run_holds_is_left_until_its_claim_runs_out(
    subscribed: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    [finalized] = stripe_events(stripe_api, "invoice.finalized")
    row = _stored(public_client, finalized, django_capture_on_commit_callbacks)
    held = timezone.now() - dt.timedelta(minutes=1)
    StripeEvent.objects.filter(pk=row.pk).update(claimed=held)

    assert stripe_event_apply(event_id=finalized.id) is False
    assert not Invoice.objects.exists()

    # The run that held it died: once the claim is older than the timeout, it is taken again.
    StripeEvent.objects.filter(pk=row.pk).update(claimed=held - CLAIM_TIMEOUT)
    assert stripe_event_apply(event_id=finalized.id) is True
    assert Invoice.objects.get(account=subscribed).status == "open"


def test_a_run_that_fails_gives_its_claim_back_and_a_retry_applies_it(
    subscribed: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[str],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    [finalized] = stripe_events(stripe_api, "invoice.finalized")
    _stored(public_client, finalized, django_capture_on_commit_callbacks)
    working = settings.STRIPE_API_BASE
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # Stripe unreachable
    settings.STRIPE_MAX_NETWORK_RETRIES = 0

    with pytest.raises(stripe.APIConnectionError):
        stripe_event_apply(event_id=finalized.id)
    row = StripeEvent.objects.get(stripe_id=finalized.id)
    assert (row.applied, row.claimed) == (None, None)

    settings.STRIPE_API_BASE = working
    assert stripe_event_apply(event_id=finalized.id) is True
    assert StripeEvent.objects.get(stripe_id=finalized.id).applied is not None


def test_the_requeue_job_queues_events_whose_task_was_lost(
    subscribed: BillingAccount,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    finalized, *_ = stripe_events(stripe_api, "invoice.finalized")
    lost = _stored(public_client, finalized, django_capture_on_commit_callbacks)
    queued.clear()  # the worker died before it ran the apply
    assert billing_events_requeue_task() == 0  # just received: its task may still be running

    StripeEvent.objects.filter(pk=lost.pk).update(
        received=timezone.now() - dt.timedelta(minutes=30)
    )
    assert billing_events_requeue_task() == 1
    assert queued == [finalized.id]
    billing_event_apply.apply(args=(finalized.id,), throw=True)
    assert Invoice.objects.get(account=subscribed).status == "open"
    queued.clear()
    assert billing_events_requeue_task() == 0  # applied: nothing left
