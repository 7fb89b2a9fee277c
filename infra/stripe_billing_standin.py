"""The part of Stripe's billing API that localstripe lacks, served from the same process.

localstripe knows customers (the app's first Stripe objects) but has no prices,
allows one item per subscription, knows no ``collection_method=send_invoice``,
no billing meters and no way to let time pass. This stand-in answers those
routes before localstripe's own, in Stripe's wire format (form-encoded requests,
JSON objects with Stripe's field names, events signed like Stripe's webhooks),
so the app's adapter works unchanged against the real API:

- ``/v1/products``, ``/v1/prices`` (``lookup_keys[]``), ``/v1/subscriptions``
  (many items, ``collection_method``, ``days_until_due``, ``payment_settings``),
  ``/v1/subscription_items`` (``proration_behavior``), ``/v1/invoices`` (list,
  retrieve, ``pay`` with ``paid_out_of_band``, ``create_preview``),
  ``/v1/billing/meters``, ``/v1/billing/meter_events`` and ``/v1/events``.
- Test helpers, standing in for Stripe's test clocks and its test IBANs:
  ``POST /_billing/clock`` (``advance`` seconds: renewals are invoiced, unpaid
  invoices past their due date make the subscription ``past_due``),
  ``POST /_billing/invoices/{id}/fail`` (a SEPA debit comes back), and
  ``GET /_billing/invoices/{id}/pdf``.

State lives in localstripe's store (so ``DELETE /_config/data`` empties it and
``--state`` keeps it), webhooks go to the endpoints registered with
localstripe's ``POST /_config/webhooks/{id}``.
"""

import asyncio
import calendar
import hashlib
import hmac
import json
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from localstripe import webhooks as localstripe_webhooks
from localstripe.resources import store
from localstripe.server import get_api_key, get_post_data, unflatten_data

logger = logging.getLogger(__name__)

Obj = dict[str, Any]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

API_VERSION = "2025-03-31.basil"


class StripeError(Exception):
    def __init__(self, status: int, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.param = status, message, param

    def response(self) -> web.Response:
        error: Obj = {"type": "invalid_request_error", "message": self.message}
        if self.param:
            error["param"] = self.param
        return web.json_response({"error": error}, status=self.status)


# --- state ------------------------------------------------------------------------------


def _now() -> int:
    return int(time.time()) + int(store.get("bill_clock:offset", 0))


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(12)}"


def _put(kind: str, obj: Obj) -> Obj:
    store[f"bill_{kind}:{obj['id']}"] = obj
    return obj


def _get(kind: str, object_id: str) -> Obj:
    obj = store.get(f"bill_{kind}:{object_id}")
    if obj is None:
        raise StripeError(404, f"No such {kind}: '{object_id}'", "id")
    return obj


def _all(kind: str) -> list[Obj]:
    prefix = f"bill_{kind}:"
    found = [value for key, value in store.items() if key.startswith(prefix)]
    return sorted(found, key=lambda obj: (obj.get("created", 0), obj["id"]), reverse=True)


def _customer_exists(customer_id: str) -> None:
    if f"customer:{customer_id}" not in store:
        raise StripeError(404, f"No such customer: '{customer_id}'", "customer")


def _list(url: str, items: list[Obj], query: Obj) -> Obj:
    limit = int(query.get("limit", 10))
    after = query.get("starting_after")
    if after:
        ids = [item["id"] for item in items]
        items = items[ids.index(after) + 1 :] if after in ids else []
    return {"object": "list", "url": url, "data": items[:limit], "has_more": len(items) > limit}


_DELIVERIES: set["asyncio.Future[None]"] = set()  # kept until sent (asyncio holds weak refs)

# --- events -----------------------------------------------------------------------------


def _emit(event_type: str, obj: Obj) -> Obj:
    event = {
        "id": _new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "type": event_type,
        "created": _now(),
        "livemode": False,
        "pending_webhooks": len(localstripe_webhooks._webhooks),
        "data": {"object": json.loads(json.dumps(obj))},
    }
    _put("event", event)
    task = asyncio.ensure_future(_deliver(event))
    _DELIVERIES.add(task)
    task.add_done_callback(_DELIVERIES.discard)
    return event


async def _deliver(event: Obj) -> None:
    payload = json.dumps(event, sort_keys=True).encode()
    for hook in list(localstripe_webhooks._webhooks.values()):
        if hook.events is not None and event["type"] not in hook.events:
            continue
        stamp = int(time.time())
        signed = b"%d.%s" % (stamp, payload)
        signature = hmac.new(hook.secret.encode(), signed, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": f"t={stamp},v1={signature}",
        }
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.post(hook.url, data=payload, headers=headers) as answer,
            ):
                logger.info("webhook %s -> %s: %s", event["type"], hook.url, answer.status)
        except aiohttp.ClientError as error:
            logger.info("webhook %s -> %s failed: %s", event["type"], hook.url, error)


# --- products, prices, meters -------------------------------------------------------------


def product_create(data: Obj) -> Obj:
    if not data.get("name"):
        raise StripeError(400, "Missing required param: name.", "name")
    if data.get("id") and f"bill_product:{data['id']}" in store:
        raise StripeError(400, f"Product already exists: {data['id']}", "id")
    return _put(
        "product",
        {
            "id": data.get("id") or _new_id("prod"),
            "object": "product",
            "name": data["name"],
            "active": True,
            "metadata": data.get("metadata") or {},
            "created": _now(),
        },
    )


def price_create(data: Obj) -> Obj:
    for field in ("currency", "product"):
        if not data.get(field):
            raise StripeError(400, f"Missing required param: {field}.", field)
    _get("product", data["product"])
    recurring = data.get("recurring") or None
    if recurring:
        if recurring.get("interval") not in ("day", "week", "month", "year"):
            raise StripeError(400, "Invalid recurring[interval].", "recurring[interval]")
        recurring = {
            "interval": recurring["interval"],
            "interval_count": int(recurring.get("interval_count", 1)),
            "usage_type": recurring.get("usage_type", "licensed"),
            "meter": recurring.get("meter"),
        }
    lookup_key = data.get("lookup_key")
    if lookup_key:
        holders = [p for p in _all("price") if p.get("lookup_key") == lookup_key]
        if holders and data.get("transfer_lookup_key") not in ("true", True):
            raise StripeError(400, f"A price with lookup_key {lookup_key} exists.", "lookup_key")
        for holder in holders:
            holder["lookup_key"] = None
    return _put(
        "price",
        {
            "id": _new_id("price"),
            "object": "price",
            "active": True,
            "currency": data["currency"],
            "unit_amount": int(data.get("unit_amount", 0)),
            "product": data["product"],
            "recurring": recurring,
            "type": "recurring" if recurring else "one_time",
            "lookup_key": lookup_key,
            "nickname": data.get("nickname"),
            "metadata": data.get("metadata") or {},
            "created": _now(),
        },
    )


def price_list(query: Obj) -> list[Obj]:
    prices = _all("price")
    wanted = query.get("lookup_keys")
    if wanted is not None:
        wanted = wanted if isinstance(wanted, list) else [wanted]
        prices = [p for p in prices if p.get("lookup_key") in wanted]
    if "active" in query:
        prices = [p for p in prices if p["active"] == (query["active"] == "true")]
    return prices


def meter_create(data: Obj) -> Obj:
    for field in ("display_name", "event_name"):
        if not data.get(field):
            raise StripeError(400, f"Missing required param: {field}.", field)
    if any(m["event_name"] == data["event_name"] for m in _all("meter")):
        raise StripeError(400, "A meter with this event_name exists.", "event_name")
    mapping = data.get("customer_mapping") or {}
    return _put(
        "meter",
        {
            "id": _new_id("mtr"),
            "object": "billing.meter",
            "display_name": data["display_name"],
            "event_name": data["event_name"],
            "status": "active",
            "default_aggregation": data.get("default_aggregation") or {"formula": "sum"},
            "customer_mapping": {
                "type": "by_id",
                "event_payload_key": mapping.get("event_payload_key", "stripe_customer_id"),
            },
            "value_settings": {"event_payload_key": "value"},
            "created": _now(),
        },
    )


def meter_event_create(data: Obj) -> Obj:
    name = data.get("event_name")
    [meter] = [m for m in _all("meter") if m["event_name"] == name] or [None]
    if meter is None:
        raise StripeError(400, f"No active meter for event_name {name}.", "event_name")
    payload = data.get("payload") or {}
    customer = payload.get(meter["customer_mapping"]["event_payload_key"])
    if not customer:
        raise StripeError(400, "Missing the customer in payload.", "payload")
    _customer_exists(customer)
    try:
        value = int(payload.get("value", 1))
    except ValueError:
        raise StripeError(400, "payload[value] must be a whole number.", "payload[value]") from None
    identifier = data.get("identifier") or _new_id("mev")
    key = f"bill_meter_event:{identifier}"
    if key in store:
        raise StripeError(400, f"An event with identifier {identifier} exists.", "identifier")
    event = {
        "object": "billing.meter_event",
        "event_name": name,
        "identifier": identifier,
        "payload": payload,
        "timestamp": int(data.get("timestamp") or _now()),
        "created": _now(),
        "livemode": False,
        "_customer": customer,
        "_value": value,
        "_meter": meter["id"],
    }
    store[key] = event
    return {k: v for k, v in event.items() if not k.startswith("_")}


def meter_summaries(meter_id: str, query: Obj) -> Obj:
    _get("meter", meter_id)
    customer = query.get("customer")
    start, end = int(query.get("start_time", 0)), int(query.get("end_time", 2**40))
    total = sum(
        event["_value"]
        for key, event in store.items()
        if key.startswith("bill_meter_event:")
        and event["_meter"] == meter_id
        and event["_customer"] == customer
        and start <= event["timestamp"] < end
    )
    summary = {
        "id": f"mtrusg_{meter_id}_{customer}",
        "object": "billing.meter_event_summary",
        "aggregated_value": total,
        "customer": customer,
        "meter": meter_id,
        "start_time": start,
        "end_time": end,
    }
    return _list(f"/v1/billing/meters/{meter_id}/event_summaries", [summary], query)


# --- subscriptions and their items -----------------------------------------------------------


def _add_interval(moment: int, interval: str, count: int) -> int:
    day = datetime.fromtimestamp(moment, tz=UTC)
    if interval in ("day", "week"):
        return moment + count * (86400 if interval == "day" else 7 * 86400)
    months = count * (12 if interval == "year" else 1)
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return int(day.replace(year=year, month=month, day=min(day.day, last)).timestamp())


def _item(subscription: Obj, spec: Obj) -> Obj:
    if not spec.get("price"):
        raise StripeError(400, "Missing required param: items[][price].", "items")
    price = _get("price", spec["price"])
    if not price["recurring"]:
        raise StripeError(400, "The price must be recurring.", "items")
    return {
        "id": _new_id("si"),
        "object": "subscription_item",
        "subscription": subscription["id"],
        "price": price,
        "quantity": None if price["recurring"]["usage_type"] == "metered" else 1,
        "metadata": spec.get("metadata") or {},
        "current_period_start": subscription["current_period_start"],
        "current_period_end": subscription["current_period_end"],
        "created": _now(),
    }


def _sync_items(subscription: Obj) -> None:
    subscription["items"] = {
        "object": "list",
        "url": f"/v1/subscription_items?subscription={subscription['id']}",
        "data": subscription["_items"],
        "has_more": False,
    }


def _public(subscription: Obj) -> Obj:
    _sync_items(subscription)
    return {k: v for k, v in subscription.items() if not k.startswith("_")}


def subscription_create(data: Obj) -> Obj:
    customer = data.get("customer")
    if not customer:
        raise StripeError(400, "Missing required param: customer.", "customer")
    _customer_exists(customer)
    specs = data.get("items") or []
    if not specs:
        raise StripeError(400, "Missing required param: items.", "items")
    method = data.get("collection_method", "charge_automatically")
    if method not in ("charge_automatically", "send_invoice"):
        raise StripeError(400, "Invalid collection_method.", "collection_method")
    days = data.get("days_until_due")
    if method == "send_invoice" and days is None:
        raise StripeError(400, "days_until_due is required for send_invoice.", "days_until_due")
    prices = [_get("price", spec.get("price", "")) for spec in specs]
    intervals = {(p["recurring"] or {}).get("interval") for p in prices}
    if len(intervals) != 1:
        raise StripeError(400, "All prices must have the same billing interval.", "items")
    start = _now()
    recurring = prices[0]["recurring"]
    subscription: Obj = {
        "id": _new_id("sub"),
        "object": "subscription",
        "customer": customer,
        "status": "active",
        "collection_method": method,
        "days_until_due": int(days) if days is not None else None,
        "payment_settings": data.get("payment_settings") or {},
        "metadata": data.get("metadata") or {},
        "cancel_at_period_end": False,
        "canceled_at": None,
        "ended_at": None,
        "start_date": start,
        "created": start,
        "current_period_start": start,
        "current_period_end": _add_interval(
            start, recurring["interval"], recurring["interval_count"]
        ),
        "latest_invoice": None,
        "_items": [],
        "_pending": [],
    }
    subscription["_items"] = [_item(subscription, spec) for spec in specs]
    _put("subscription", subscription)
    _emit("customer.subscription.created", _public(subscription))
    _invoice_cycle(subscription, reason="subscription_create")
    return _public(subscription)


def subscription_update(subscription_id: str, data: Obj) -> Obj:
    subscription = _get("subscription", subscription_id)
    if subscription["status"] == "canceled":
        raise StripeError(400, "A canceled subscription can't be updated.")
    for field in ("collection_method", "metadata", "payment_settings"):
        if field in data:
            subscription[field] = data[field]
    if "days_until_due" in data:
        subscription["days_until_due"] = int(data["days_until_due"])
    if "cancel_at_period_end" in data:
        subscription["cancel_at_period_end"] = data["cancel_at_period_end"] in ("true", True)
    _emit("customer.subscription.updated", _public(subscription))
    return _public(subscription)


def subscription_cancel(subscription_id: str) -> Obj:
    subscription = _get("subscription", subscription_id)
    if subscription["status"] != "canceled":
        subscription["status"] = "canceled"
        subscription["canceled_at"] = subscription["ended_at"] = _now()
        _emit("customer.subscription.deleted", _public(subscription))
    return _public(subscription)


def subscription_list(query: Obj) -> list[Obj]:
    found = [_public(s) for s in _all("subscription")]
    if query.get("customer"):
        found = [s for s in found if s["customer"] == query["customer"]]
    status = query.get("status")
    if status is None:
        found = [s for s in found if s["status"] != "canceled"]
    elif status != "all":
        found = [s for s in found if s["status"] == status]
    return found


def _proration(subscription: Obj, price: Obj, sign: int, description: str) -> None:
    start, end = subscription["current_period_start"], subscription["current_period_end"]
    left = max(0, end - _now()) / max(1, end - start)
    subscription["_pending"].append(
        {
            "id": _new_id("il"),
            "object": "line_item",
            "amount": sign * round(price["unit_amount"] * left),
            "currency": price["currency"],
            "description": description,
            "proration": True,
            "price": price,
            "quantity": 1,
            "period": {"start": _now(), "end": end},
        }
    )


def item_create(data: Obj) -> Obj:
    subscription = _get("subscription", data.get("subscription", ""))
    if subscription["status"] == "canceled":
        raise StripeError(400, "A canceled subscription can't get items.", "subscription")
    item = _item(subscription, data)
    if any(i["price"]["id"] == item["price"]["id"] for i in subscription["_items"]):
        raise StripeError(400, "The subscription already has an item with this price.", "price")
    behaviour = data.get("proration_behavior", "create_prorations")
    if behaviour not in ("create_prorations", "always_invoice", "none"):
        raise StripeError(400, "Invalid proration_behavior.", "proration_behavior")
    subscription["_items"].append(item)
    if behaviour != "none" and item["quantity"]:
        _proration(subscription, item["price"], 1, f"Restzeit für {item['price']['nickname']}")
    if behaviour == "always_invoice":
        _invoice_pending(subscription)
    _emit("customer.subscription.updated", _public(subscription))
    return item


def item_delete(item_id: str, query: Obj) -> Obj:
    for subscription in _all("subscription"):
        for item in subscription["_items"]:
            if item["id"] == item_id:
                behaviour = query.get("proration_behavior", "create_prorations")
                subscription["_items"].remove(item)
                if behaviour != "none" and item["quantity"]:
                    _proration(subscription, item["price"], -1, "Nicht genutzte Zeit")
                _emit("customer.subscription.updated", _public(subscription))
                return {"id": item_id, "object": "subscription_item", "deleted": True}
    raise StripeError(404, f"No such subscription_item: '{item_id}'", "id")


# --- invoices ------------------------------------------------------------------------------


def _line(item: Obj, start: int, end: int) -> Obj:
    return {
        "id": _new_id("il"),
        "object": "line_item",
        "amount": item["price"]["unit_amount"] * (item["quantity"] or 0),
        "currency": item["price"]["currency"],
        "description": item["price"].get("nickname") or item["price"]["id"],
        "proration": False,
        "price": item["price"],
        "quantity": item["quantity"],
        "period": {"start": start, "end": end},
        "metadata": item["metadata"],
    }


def _metered_lines(subscription: Obj, start: int, end: int) -> list[Obj]:
    lines = []
    for item in subscription["_items"]:
        meter = (item["price"]["recurring"] or {}).get("meter")
        if not meter:
            continue
        used = meter_summaries(
            meter, {"customer": subscription["customer"], "start_time": start, "end_time": end}
        )["data"][0]["aggregated_value"]
        line = _line(item, start, end)
        line.update(amount=item["price"]["unit_amount"] * used, quantity=used)
        lines.append(line)
    return lines


def _invoice(subscription: Obj, lines: list[Obj], reason: str, *, draft: bool = False) -> Obj:
    invoice_id = _new_id("in")
    total = sum(line["amount"] for line in lines)
    created = _now()
    method = subscription["collection_method"]
    number = f"RH-{len(_all('invoice')) + 1:05d}"
    invoice: Obj = {
        "id": invoice_id,
        "object": "invoice",
        "number": None if draft else number,
        "customer": subscription["customer"],
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": subscription["id"]},
        },
        "billing_reason": reason,
        "collection_method": method,
        "currency": lines[0]["currency"] if lines else "eur",
        "created": created,
        "period_start": subscription["current_period_start"],
        "period_end": subscription["current_period_end"],
        "due_date": created + 86400 * subscription["days_until_due"]
        if method == "send_invoice"
        else None,
        "status": "draft" if draft else "open",
        "subtotal": total,
        "total": total,
        "amount_due": total,
        "amount_paid": 0,
        "amount_remaining": total,
        "attempt_count": 0,
        "lines": {"object": "list", "data": lines, "has_more": False},
        "status_transitions": {"finalized_at": None if draft else created, "paid_at": None},
        "hosted_invoice_url": None,
        "invoice_pdf": None,
    }
    if draft:
        return invoice
    base = store.get("bill_config:base_url", "")
    invoice["invoice_pdf"] = f"{base}/_billing/invoices/{invoice_id}/pdf"
    invoice["hosted_invoice_url"] = f"{base}/_billing/invoices/{invoice_id}"
    _put("invoice", invoice)
    subscription["latest_invoice"] = invoice_id
    _emit("invoice.created", invoice)
    _emit("invoice.finalized", invoice)
    if total <= 0:
        _paid(invoice)
    elif method == "charge_automatically":
        invoice["attempt_count"] = 1
        if subscription["customer"] in store.get("bill_config:failing_customers", set()):
            _failed(invoice)
        else:
            _paid(invoice)
    return invoice


def _invoice_cycle(subscription: Obj, reason: str) -> Obj:
    start, end = subscription["current_period_start"], subscription["current_period_end"]
    lines = [_line(item, start, end) for item in subscription["_items"] if item["quantity"]]
    lines += subscription["_pending"]
    subscription["_pending"] = []
    return _invoice(subscription, lines, reason)


def _invoice_pending(subscription: Obj) -> None:
    lines, subscription["_pending"] = subscription["_pending"], []
    if lines:
        _invoice(subscription, lines, "subscription_update")


def _paid(invoice: Obj) -> None:
    invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0)
    invoice["status_transitions"]["paid_at"] = _now()
    _emit("invoice.paid", invoice)
    subscription = _get("subscription", invoice["parent"]["subscription_details"]["subscription"])
    unpaid = [
        i
        for i in _all("invoice")
        if i["status"] == "open"
        and i["parent"]["subscription_details"]["subscription"] == subscription["id"]
    ]
    if subscription["status"] == "past_due" and not unpaid:
        subscription["status"] = "active"
        _emit("customer.subscription.updated", _public(subscription))


def _failed(invoice: Obj) -> None:
    _emit("invoice.payment_failed", invoice)
    subscription = _get("subscription", invoice["parent"]["subscription_details"]["subscription"])
    if subscription["status"] == "active":
        subscription["status"] = "past_due"
        _emit("customer.subscription.updated", _public(subscription))


def invoice_pay(invoice_id: str, data: Obj) -> Obj:
    invoice = _get("invoice", invoice_id)
    if invoice["status"] != "open":
        raise StripeError(400, f"Invoice is already {invoice['status']}.")
    if data.get("paid_out_of_band") not in ("true", True):
        invoice["attempt_count"] += 1
        subscription = _get(
            "subscription", invoice["parent"]["subscription_details"]["subscription"]
        )
        if subscription["customer"] in store.get("bill_config:failing_customers", set()):
            _failed(invoice)
            raise StripeError(402, "The payment failed.")
    _paid(invoice)
    return invoice


def invoice_list(query: Obj) -> list[Obj]:
    found = _all("invoice")
    if query.get("customer"):
        found = [i for i in found if i["customer"] == query["customer"]]
    if query.get("subscription"):
        found = [
            i
            for i in found
            if i["parent"]["subscription_details"]["subscription"] == query["subscription"]
        ]
    if query.get("status"):
        found = [i for i in found if i["status"] == query["status"]]
    return found


def invoice_preview(data: Obj) -> Obj:
    subscription = _get("subscription", data.get("subscription", ""))
    if subscription["status"] == "canceled":
        raise StripeError(404, "No upcoming invoices for a canceled subscription.")
    start = subscription["current_period_end"]
    recurring = subscription["_items"][0]["price"]["recurring"] if subscription["_items"] else None
    end = (
        _add_interval(start, recurring["interval"], recurring["interval_count"])
        if recurring
        else start
    )
    lines = [_line(item, start, end) for item in subscription["_items"] if item["quantity"]]
    lines += subscription["_pending"]
    lines += _metered_lines(subscription, subscription["current_period_start"], start)
    invoice = _invoice(subscription, lines, "upcoming", draft=True)
    invoice.update(
        id=None, created=start, period_start=subscription["current_period_start"], period_end=start
    )
    return invoice


# --- test helpers ---------------------------------------------------------------------------


def clock_advance(seconds: int) -> Obj:
    store["bill_clock:offset"] = int(store.get("bill_clock:offset", 0)) + seconds
    now = _now()
    for subscription in _all("subscription"):
        if subscription["status"] == "canceled" or not subscription["_items"]:
            continue
        while subscription["current_period_end"] <= now and subscription["status"] != "canceled":
            old_start = subscription["current_period_start"]
            old_end = subscription["current_period_end"]
            if subscription["cancel_at_period_end"]:
                subscription_cancel(subscription["id"])
                break
            metered = _metered_lines(subscription, old_start, old_end)
            recurring = subscription["_items"][0]["price"]["recurring"]
            subscription["current_period_start"] = old_end
            subscription["current_period_end"] = _add_interval(
                old_end, recurring["interval"], recurring["interval_count"]
            )
            for item in subscription["_items"]:
                item["current_period_start"] = subscription["current_period_start"]
                item["current_period_end"] = subscription["current_period_end"]
            subscription["_pending"] += metered
            _invoice_cycle(subscription, reason="subscription_cycle")
    for invoice in _all("invoice"):
        overdue = invoice["status"] == "open" and invoice["due_date"] and invoice["due_date"] < now
        if overdue and not invoice.get("_overdue"):
            invoice["_overdue"] = True
            _emit("invoice.overdue", {k: v for k, v in invoice.items() if not k.startswith("_")})
            subscription = _get(
                "subscription", invoice["parent"]["subscription_details"]["subscription"]
            )
            if subscription["status"] == "active":
                subscription["status"] = "past_due"
                _emit("customer.subscription.updated", _public(subscription))
    return {"now": now}


def invoice_fail(invoice_id: str) -> Obj:
    invoice = _get("invoice", invoice_id)
    if invoice["status"] == "paid" and invoice["collection_method"] == "charge_automatically":
        invoice.update(status="open", amount_paid=0, amount_remaining=invoice["amount_due"])
        invoice["status_transitions"]["paid_at"] = None
    if invoice["status"] != "open":
        raise StripeError(400, f"Invoice is {invoice['status']}.")
    _failed(invoice)
    return invoice


def _pdf(invoice: Obj) -> bytes:
    text = f"Rechnung {invoice['number']} - {invoice['amount_due'] / 100:.2f} EUR"
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- routing ------------------------------------------------------------------------------

Route = tuple[str, str, Callable[..., Any]]


def _routes() -> list[Route]:
    return [
        ("POST", r"/v1/products", lambda d, q: product_create(d)),
        ("GET", r"/v1/products/(?P<id>[\w-]+)", lambda d, q, id: _get("product", id)),
        ("POST", r"/v1/prices", lambda d, q: price_create(d)),
        ("GET", r"/v1/prices", lambda d, q: _list("/v1/prices", price_list(q), q)),
        ("GET", r"/v1/prices/(?P<id>price_\w+)", lambda d, q, id: _get("price", id)),
        ("POST", r"/v1/billing/meters", lambda d, q: meter_create(d)),
        ("GET", r"/v1/billing/meters", lambda d, q: _list("/v1/billing/meters", _all("meter"), q)),
        ("POST", r"/v1/billing/meter_events", lambda d, q: meter_event_create(d)),
        (
            "GET",
            r"/v1/billing/meters/(?P<id>mtr_\w+)/event_summaries",
            lambda d, q, id: meter_summaries(id, q),
        ),
        ("POST", r"/v1/subscriptions", lambda d, q: subscription_create(d)),
        (
            "GET",
            r"/v1/subscriptions",
            lambda d, q: _list("/v1/subscriptions", subscription_list(q), q),
        ),
        (
            "GET",
            r"/v1/subscriptions/(?P<id>sub_\w+)",
            lambda d, q, id: _public(_get("subscription", id)),
        ),
        ("POST", r"/v1/subscriptions/(?P<id>sub_\w+)", lambda d, q, id: subscription_update(id, d)),
        ("DELETE", r"/v1/subscriptions/(?P<id>sub_\w+)", lambda d, q, id: subscription_cancel(id)),
        ("POST", r"/v1/subscription_items", lambda d, q: item_create(d)),
        (
            "DELETE",
            r"/v1/subscription_items/(?P<id>si_\w+)",
            lambda d, q, id: item_delete(id, q | d),
        ),
        ("POST", r"/v1/invoices/create_preview", lambda d, q: invoice_preview(d)),
        ("GET", r"/v1/invoices", lambda d, q: _list("/v1/invoices", invoice_list(q), q)),
        ("GET", r"/v1/invoices/(?P<id>in_\w+)", lambda d, q, id: _get("invoice", id)),
        ("POST", r"/v1/invoices/(?P<id>in_\w+)/pay", lambda d, q, id: invoice_pay(id, d)),
        ("GET", r"/v1/events", lambda d, q: _list("/v1/events", _all("event"), q)),
        ("GET", r"/v1/events/(?P<id>evt_\w+)", lambda d, q, id: _get("event", id)),
        ("POST", r"/_billing/clock", lambda d, q: clock_advance(int(d.get("advance", 0)))),
        ("POST", r"/_billing/invoices/(?P<id>in_\w+)/fail", lambda d, q, id: invoice_fail(id)),
        ("POST", r"/_billing/customers/(?P<id>cus_\w+)/failing", lambda d, q, id: _failing(id, d)),
    ]


def _failing(customer_id: str, data: Obj) -> Obj:
    failing = set(store.get("bill_config:failing_customers", set()))
    if data.get("failing", "true") == "true":
        failing.add(customer_id)
    else:
        failing.discard(customer_id)
    store["bill_config:failing_customers"] = failing
    return {"customer": customer_id, "failing": customer_id in failing}


ROUTES = [(method, re.compile(pattern + "$"), handler) for method, pattern, handler in _routes()]
PDF = re.compile(r"/_billing/invoices/(?P<id>in_\w+)/pdf$")


@web.middleware
async def billing_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answers the billing routes itself; everything else goes on to localstripe."""
    store["bill_config:base_url"] = f"{request.scheme}://{request.host}"
    if request.method == "GET" and (match := PDF.match(request.path)):
        try:
            invoice = _get("invoice", match["id"])
        except StripeError as error:
            return error.response()
        return web.Response(body=_pdf(invoice), content_type="application/pdf")
    routed = [(m, match, r) for m, p, r in ROUTES if (match := p.match(request.path))]
    if routed and get_api_key(request) is None:
        return StripeError(401, "No API key provided.").response()
    for method, match, route in routed:
        if request.method == method:
            data = (await get_post_data(request) or {}) if method == "POST" else {}
            query = unflatten_data(request.query) or {}
            try:
                return web.json_response(route(data, query, **match.groupdict()))
            except StripeError as error:
                return error.response()
    return await handler(request)
