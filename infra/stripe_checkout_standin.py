"""Stripe Checkout, which localstripe lacks, served from the same process as the billing
stand-in (``infra/stripe_billing_standin.py``) and in Stripe's wire format, so the
payments adapter (``rathaus/platform/payments/contrib/stripe``) works unchanged
against the real API:

- ``/v1/checkout/sessions`` (create with ``mode=payment`` and one ``price_data``
  line, retrieve, ``expire``) and ``/v1/refunds`` for a session's payment intent
  (other refunds go on to localstripe), and ``GET /v1/payment_intents/{id}`` of a
  session's payment (its metadata from ``payment_intent_data``, its ``latest_charge``
  with ``amount_refunded``, expanded when asked).
- Test helpers for what the citizen does on Stripe's page:
  ``POST /_checkout/sessions/{id}/complete`` (``payment_status=paid``, or
  ``unpaid`` for a SEPA debit still on its way), ``.../async`` (``succeeded`` or
  ``failed``: the debit's outcome days later), and ``GET /_checkout/pay/{id}``, the
  session's ``url``.

Every change emits its event (``checkout.session.completed``,
``checkout.session.async_payment_succeeded`` / ``_failed``, ``checkout.session.expired``,
``charge.refunded``), stored for ``/v1/events`` and sent to the registered webhooks;
each test helper also answers with the event it emitted (``_event``), so a test can
deliver it itself.
"""

import re
from collections.abc import Callable
from typing import Any

from aiohttp import web
from localstripe.resources import store
from localstripe.server import get_api_key, get_post_data
from stripe_billing_standin import Handler, Obj, StripeError, _emit, _get, _new_id, _now, _put


def _base_url() -> str:
    return str(store.get("bill_config:base_url", "http://127.0.0.1"))


def session_create(data: Obj) -> Obj:
    if data.get("mode") != "payment":
        raise StripeError(400, "Only mode=payment is supported here.", "mode")
    items = data.get("line_items") or []
    if len(items) != 1 or "price_data" not in items[0]:
        raise StripeError(400, "Give one line item with price_data.", "line_items")
    price = items[0]["price_data"]
    try:
        unit_amount, quantity = int(price["unit_amount"]), int(items[0].get("quantity", 1))
    except (KeyError, ValueError):
        raise StripeError(
            400, "Invalid integer: unit_amount.", "line_items[0][price_data]"
        ) from None
    if unit_amount < 50:
        raise StripeError(400, "The Checkout Session's total amount must be at least 0.50 EUR.")
    for field in ("success_url", "cancel_url"):
        if not data.get(field):
            raise StripeError(400, f"Missing required param: {field}.", field)
    session_id = _new_id("cs_test")
    return _put(
        "checkout_session",
        {
            "id": session_id,
            "object": "checkout.session",
            "mode": "payment",
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": unit_amount * quantity,
            "currency": str(price.get("currency", "")).lower(),
            "client_reference_id": data.get("client_reference_id"),
            "metadata": data.get("metadata") or {},
            "payment_intent": None,
            "success_url": data["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id),
            "cancel_url": data["cancel_url"],
            "url": f"{_base_url()}/_checkout/pay/{session_id}",
            "created": _now(),
            "expires_at": int(data.get("expires_at") or _now() + 24 * 3600),
            "livemode": False,
            "_refunded": 0,
            "_intent_metadata": (data.get("payment_intent_data") or {}).get("metadata") or {},
            "_charge": "",
        },
    )


def _public(session: Obj) -> Obj:
    return {k: v for k, v in session.items() if not k.startswith("_")}


def session_expire(session_id: str) -> Obj:
    session = _get("checkout_session", session_id)
    if session["status"] != "open":
        raise StripeError(
            400, f"Only open sessions can be expired; this one is {session['status']}."
        )
    session.update(status="expired", url=None)
    _emit("checkout.session.expired", _public(session))
    return _public(session)


def session_complete(session_id: str, data: Obj) -> Obj:
    session = _get("checkout_session", session_id)
    if session["status"] != "open":
        raise StripeError(400, f"The session is {session['status']}.")
    paid = data.get("payment_status", "paid") == "paid"
    intent = _new_id("pi")
    store[f"bill_checkout_intent:{intent}"] = session_id
    session.update(
        status="complete",
        payment_status="paid" if paid else "unpaid",
        payment_intent=intent,
        _charge=_new_id("ch"),
    )
    return _public(session) | {"_event": _emit("checkout.session.completed", _public(session))}


def session_async(session_id: str, data: Obj) -> Obj:
    session = _get("checkout_session", session_id)
    if session["status"] != "complete" or session["payment_status"] != "unpaid":
        raise StripeError(400, "Only a completed, unpaid session has an outcome to come.")
    succeeded = data.get("outcome", "succeeded") == "succeeded"
    if succeeded:
        session["payment_status"] = "paid"
    kind = "succeeded" if succeeded else "failed"
    event = _emit(f"checkout.session.async_payment_{kind}", _public(session))
    return _public(session) | {"_event": event}


def refund_create(data: Obj) -> Obj | None:
    """A refund of a session's payment intent; ``None`` for any other (localstripe's)."""
    session_id = store.get(f"bill_checkout_intent:{data.get('payment_intent', '')}")
    if session_id is None:
        return None
    session = _get("checkout_session", session_id)
    left = session["amount_total"] - session["_refunded"]
    amount = int(data.get("amount") or left)
    if session["payment_status"] != "paid":
        raise StripeError(400, "This PaymentIntent has not been paid.", "payment_intent")
    if amount <= 0 or amount > left:
        raise StripeError(
            400, f"Refund amount ({amount}) is greater than unrefunded amount.", "amount"
        )
    session["_refunded"] += amount
    refund = _put(
        "refund",
        {
            "id": _new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": session["currency"],
            "payment_intent": data["payment_intent"],
            "status": "succeeded",
            "metadata": data.get("metadata") or {},
            "created": _now(),
        },
    )
    _emit("charge.refunded", _charge(session))
    return refund


def _charge(session: Obj) -> Obj:
    """The charge of a session's payment, as it stands (one per session, like Stripe's)."""
    return {
        "id": session["_charge"],
        "object": "charge",
        "payment_intent": session["payment_intent"],
        "amount": session["amount_total"],
        "amount_refunded": session["_refunded"],
        "currency": session["currency"],
        "paid": session["payment_status"] == "paid",
        "refunded": session["_refunded"] == session["amount_total"],
    }


def intent_retrieve(intent: str, expand: list[str]) -> Obj | None:
    """A session's payment intent (``None`` for any other: localstripe's)."""
    session_id = store.get(f"bill_checkout_intent:{intent}")
    if session_id is None:
        return None
    session = _get("checkout_session", session_id)
    charge = _charge(session)
    return {
        "id": intent,
        "object": "payment_intent",
        "amount": session["amount_total"],
        "amount_received": session["amount_total"] if charge["paid"] else 0,
        "currency": session["currency"],
        "status": "succeeded" if charge["paid"] else "processing",
        "metadata": session["_intent_metadata"],
        "latest_charge": charge if "latest_charge" in expand else charge["id"],
    }


def _pay_page(session_id: str) -> web.Response:
    session = _get("checkout_session", session_id)
    total = f"{session['amount_total'] / 100:.2f} {session['currency'].upper()}"
    return web.Response(
        text=f"<!doctype html><title>Checkout</title><h1>{total}</h1><p>{session['status']}</p>",
        content_type="text/html",
    )


Route = tuple[str, re.Pattern[str], Callable[..., Any]]
ROUTES: list[Route] = [
    (m, re.compile(p + "$"), h)
    for m, p, h in [
        ("POST", r"/v1/checkout/sessions", lambda d: session_create(d)),
        (
            "GET",
            r"/v1/checkout/sessions/(?P<id>cs_test_\w+)",
            lambda d, id: _public(_get("checkout_session", id)),
        ),
        (
            "POST",
            r"/v1/checkout/sessions/(?P<id>cs_test_\w+)/expire",
            lambda d, id: session_expire(id),
        ),
        (
            "POST",
            r"/_checkout/sessions/(?P<id>cs_test_\w+)/complete",
            lambda d, id: session_complete(id, d),
        ),
        (
            "POST",
            r"/_checkout/sessions/(?P<id>cs_test_\w+)/async",
            lambda d, id: session_async(id, d),
        ),
    ]
]
PAY_PAGE = re.compile(r"/_checkout/pay/(?P<id>cs_test_\w+)$")
INTENT = re.compile(r"/v1/payment_intents/(?P<id>pi_\w+)$")


@web.middleware
async def checkout_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answers Checkout's routes (and refunds of its payments); the rest goes on."""
    store["bill_config:base_url"] = f"{request.scheme}://{request.host}"
    try:
        if request.method == "GET" and (page := PAY_PAGE.match(request.path)):
            return _pay_page(page["id"])
        if request.method == "POST" and request.path == "/v1/refunds":
            if get_api_key(request) is None:
                raise StripeError(401, "No API key provided.")
            refund = refund_create(await get_post_data(request) or {})
            if refund is not None:
                return web.json_response(refund)
            return await handler(request)
        if request.method == "GET" and (found := INTENT.match(request.path)):
            if get_api_key(request) is None:
                raise StripeError(401, "No API key provided.")
            intent = intent_retrieve(
                found["id"], [v for k, v in request.query.items() if k.startswith("expand")]
            )
            if intent is not None:
                return web.json_response(intent)
            return await handler(request)
        for method, pattern, route in ROUTES:
            if request.method == method and (match := pattern.match(request.path)):
                if request.path.startswith("/v1/") and get_api_key(request) is None:
                    raise StripeError(401, "No API key provided.")
                data = (await get_post_data(request) or {}) if method == "POST" else {}
                return web.json_response(route(data, **match.groupdict()))
    except StripeError as error:
        return error.response()
    return await handler(request)
