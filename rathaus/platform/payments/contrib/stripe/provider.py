"""Stripe Checkout: one Checkout Session per attempt to pay, the return page, and webhooks on
the town's own host, verified with the town's signing secret.

A town pays into its own Stripe account (its secret key and webhook signing secret,
encrypted in ``ProviderConfig``). An event is never taken at its word: the session
it names is fetched from the town's account as it is now, so events applied in any
order or twice end in the same state, and the services refuse a session whose
amount or currency is not the payment's, or that names another town's payment.

A refund made in the Stripe dashboard arrives as ``charge.refunded``: the payment
intent it names is fetched with its charge, and the charge's ``amount_refunded`` (the
total paid back, never the event's own figure) is what the payment is brought to; a
refund made here is already counted, so its own event changes nothing.
"""

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import stripe
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from rathaus.platform.payments.money import from_cents, to_cents
from rathaus.platform.payments.registry import (
    Event,
    Outcome,
    PaymentError,
    Provider,
    Start,
    WebhookRefused,
    providers,
)
from rathaus.platform.payments.services import config_secrets
from rathaus.tenants.db import current_schema_name

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rathaus.platform.payments.models import Payment, ProviderConfig

SESSION_EVENTS = frozenset(
    {
        "checkout.session.completed",
        "checkout.session.async_payment_succeeded",
        "checkout.session.async_payment_failed",
        "checkout.session.expired",
    }
)
REFUND_EVENTS = frozenset({"charge.refunded", "charge.refund.updated"})


class StripeOptions(forms.Form):
    secret_key = forms.CharField(
        label=_("Geheimer Schlüssel"),
        max_length=200,
        help_text=_("beginnt mit sk_live_ oder sk_test_"),
    )
    webhook_secret = forms.CharField(
        label=_("Signaturschlüssel des Webhooks"), max_length=200, help_text=_("beginnt mit whsec_")
    )

    def clean_secret_key(self) -> str:
        value = str(self.cleaned_data.get("secret_key") or "").strip()
        if value and not value.startswith(("sk_", "rk_")):
            raise forms.ValidationError(_("Der geheime Schlüssel beginnt mit sk_ oder rk_."))
        return value

    def clean_webhook_secret(self) -> str:
        value = str(self.cleaned_data.get("webhook_secret") or "").strip()
        if value and not value.startswith("whsec_"):
            raise forms.ValidationError(_("Der Signaturschlüssel beginnt mit whsec_."))
        return value


def _client(config: "ProviderConfig") -> stripe.StripeClient:
    key = config_secrets(config).get("secret_key", "")
    if not key:
        raise PaymentError("Stripe has no secret key for this town")
    base = settings.STRIPE_API_BASE
    return stripe.StripeClient(
        key,
        base_addresses={"api": base} if base else None,
        max_network_retries=settings.STRIPE_MAX_NETWORK_RETRIES,
    )


def _retrieve(config: "ProviderConfig", session_id: str) -> dict[str, Any]:
    try:
        return _client(config).v1.checkout.sessions.retrieve(session_id).to_dict()
    except stripe.StripeError as error:
        raise PaymentError(f"Stripe: {error.user_message or error}") from error


def _intent(config: "ProviderConfig", intent_id: str) -> dict[str, Any]:
    try:
        return (
            _client(config)
            .v1.payment_intents.retrieve(intent_id, params={"expand": ["latest_charge"]})
            .to_dict()
        )
    except stripe.StripeError as error:
        raise PaymentError(f"Stripe: {error.user_message or error}") from error


def intent_refund_outcome(intent: dict[str, Any]) -> Outcome:
    """What a payment intent says of what was paid back of it (``state`` empty: nothing)."""
    metadata = intent.get("metadata") or {}
    if metadata.get("town") and metadata["town"] != current_schema_name():
        return Outcome(payment="", state="", note="an intent of another town")
    charge = intent.get("latest_charge")
    refunded = charge.get("amount_refunded") if isinstance(charge, dict) else None
    if not refunded:
        return Outcome(payment=str(metadata.get("payment") or ""), state="")
    return Outcome(
        payment=str(metadata.get("payment") or ""),
        state="refunded",
        refunded=from_cents(int(refunded)),
        currency=str(charge.get("currency", "")) if isinstance(charge, dict) else "",
        note="refunded at Stripe",
    )


def session_outcome(session: dict[str, Any]) -> Outcome:
    """What a Checkout Session says of its payment (``state`` empty: nothing yet)."""
    metadata = session.get("metadata") or {}
    payment = str(metadata.get("payment") or session.get("client_reference_id") or "")
    if metadata.get("town") and metadata["town"] != current_schema_name():
        return Outcome(payment="", state="", note="a session of another town")
    state = ""
    if session.get("status") == "complete":
        state = "paid" if session.get("payment_status") == "paid" else "processing"
    elif session.get("status") == "expired":
        state = "cancelled"
    amount = (
        from_cents(session["amount_total"]) if session.get("amount_total") is not None else None
    )
    return Outcome(
        payment=payment, state=state, amount=amount, currency=str(session.get("currency", ""))
    )


@providers.register("stripe")
class StripeProvider(Provider):
    """Card, SEPA direct debit and the wallets Stripe offers the town, on Stripe's page."""

    label = _("Online bezahlen (Karte, Lastschrift, Wallets) über Stripe")
    online = True
    options_form = StripeOptions
    secret_fields = ("secret_key", "webhook_secret")

    def start(self, *, payment: "Payment", config: "ProviderConfig", return_url: str) -> Start:
        ids = {
            "payment": str(payment.public_id),
            "town": current_schema_name(),
            "kassenzeichen": payment.kassenzeichen,
        }
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": payment.currency.lower(),
                        "unit_amount": to_cents(payment.amount),
                        "product_data": {"name": payment.purpose},
                    },
                }
            ],
            "client_reference_id": str(payment.public_id),
            "metadata": ids,
            "payment_intent_data": {"metadata": ids, "description": payment.kassenzeichen},
            "success_url": return_url,
            "cancel_url": return_url,
        }
        if payment.user_id and payment.user is not None and payment.user.email:
            params["customer_email"] = payment.user.email
        try:
            session = _client(config).v1.checkout.sessions.create(params=cast(Any, params))
        except stripe.StripeError as error:
            raise PaymentError(f"Stripe: {error.user_message or error}") from error
        return Start(redirect_url=str(session.url), provider_ref=str(session.id))

    def status(self, *, payment: "Payment", config: "ProviderConfig") -> Outcome | None:
        if not payment.provider_ref:
            return None
        outcome = session_outcome(_retrieve(config, payment.provider_ref))
        return outcome if outcome.payment == str(payment.public_id) else None

    def webhook_events(self, *, request: "HttpRequest", config: "ProviderConfig") -> list[Event]:
        secret = config_secrets(config).get("webhook_secret", "")
        if not secret:
            raise WebhookRefused("no webhook signing secret is set for this town")
        try:
            event = stripe.Webhook.construct_event(
                request.body,
                request.headers.get("Stripe-Signature", ""),
                secret,
                tolerance=settings.STRIPE_WEBHOOK_TOLERANCE,
            )
        except stripe.SignatureVerificationError:
            raise WebhookRefused("bad signature") from None
        except ValueError:
            raise WebhookRefused("bad payload") from None
        return [Event(id=event.id, type=event.type, payload=event.to_dict())]

    def event_outcome(self, *, event: Event, config: "ProviderConfig") -> Outcome | None:
        if event.type in REFUND_EVENTS:
            data = event.payload.get("data", {}).get("object", {})
            intent_id = str(data.get("payment_intent") or "")
            if not intent_id.startswith("pi_"):
                return None
            return intent_refund_outcome(_intent(config, intent_id))
        if event.type not in SESSION_EVENTS:
            return None
        session_id = str(event.payload.get("data", {}).get("object", {}).get("id", ""))
        if not session_id.startswith("cs_"):
            return None
        outcome = session_outcome(_retrieve(config, session_id))
        if event.type == "checkout.session.async_payment_failed" and outcome.state == "processing":
            outcome = Outcome(outcome.payment, "failed", outcome.amount, outcome.currency)
        return outcome

    def cancel(self, *, payment: "Payment", config: "ProviderConfig") -> None:
        if not payment.provider_ref:
            return
        session = _retrieve(config, payment.provider_ref)
        if session.get("status") == "open":
            try:
                _client(config).v1.checkout.sessions.expire(payment.provider_ref)
            except stripe.StripeError as error:
                raise PaymentError(f"Stripe: {error.user_message or error}") from error
        elif session.get("status") == "complete":
            raise PaymentError(f"payment {payment.kassenzeichen} was completed at Stripe")

    def refund(self, *, payment: "Payment", amount: Decimal, config: "ProviderConfig") -> str:
        session = _retrieve(config, payment.provider_ref) if payment.provider_ref else {}
        intent = session.get("payment_intent")
        if not intent:
            raise PaymentError(f"payment {payment.kassenzeichen} has no Stripe payment to refund")
        try:
            refund = _client(config).v1.refunds.create(
                params={
                    "payment_intent": str(intent),
                    "amount": to_cents(amount),
                    "metadata": {"kassenzeichen": payment.kassenzeichen},
                },
                # Once per refund: the same refund asked again (a retry) is not paid twice.
                options={
                    "idempotency_key": f"refund:{payment.public_id}:{payment.refunded_amount}"
                },
            )
        except stripe.StripeError as error:
            raise PaymentError(f"Stripe: {error.user_message or error}") from error
        return str(refund.id)
