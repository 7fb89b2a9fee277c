"""One Stripe subscription per town, one item per module the vendor allows.

``billing_subscription_sync`` is the one service that makes the subscription
match the vendor's gates; the console, the vendor API and the admin change the
gate (``modules.services.module_allow``) and billing's receiver queues the sync
after the commit. It is idempotent (a second run changes nothing) and calls
Stripe with no database transaction open, as ``billing_customer_ensure`` does.
"""

import logging
from dataclasses import dataclass, field
from typing import Any

import stripe
from django.db import transaction

from rathaus.billing.client import stripe_client
from rathaus.billing.models import BillingAccount, CollectionMethod, ModulePrice
from rathaus.billing.prices import module_price_ensure, module_price_for
from rathaus.billing.services import billing_customer_ensure
from rathaus.modules.models import ModuleActivation
from rathaus.modules.registry import modules
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)


@dataclass
class SyncResult:
    """What a sync did at Stripe (empty lists: the subscription already matched)."""

    subscription_id: str = ""
    created: bool = False
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unpriced: list[str] = field(default_factory=list)


def _wanted_prices(
    *, town: Municipality, account: BillingAccount
) -> tuple[dict[str, ModulePrice], list[str]]:
    """The allowed modules' prices by module key, and the allowed modules without a price."""
    with transaction.atomic(durable=True):
        allowed = sorted(
            ModuleActivation.objects.filter(town=town, allowed=True).values_list(
                "module", flat=True
            )
        )
        wanted: dict[str, ModulePrice] = {}
        unpriced = []
        for key in allowed:
            if key not in modules:
                continue
            price = module_price_for(account=account, price_key=modules[key].price)
            if price is None:
                unpriced.append(key)
            else:
                wanted[key] = price
    return wanted, unpriced


def _collection_params(account: BillingAccount) -> Any:  # Stripe's params TypedDicts
    if account.collection_method == CollectionMethod.SEPA_DEBIT:
        return {
            "collection_method": "charge_automatically",
            "payment_settings": {"payment_method_types": ["sepa_debit"]},
        }
    return {"collection_method": "send_invoice", "days_until_due": account.days_until_due}


def _subscription_find(
    *, client: stripe.StripeClient, account: BillingAccount
) -> stripe.Subscription | None:
    """The town's live subscription: the one stored, or one a crashed run made before saving it."""
    if account.stripe_subscription_id:
        subscription = client.v1.subscriptions.retrieve(account.stripe_subscription_id)
        if subscription.status != "canceled":
            return subscription
    found = client.v1.subscriptions.list(params={"customer": account.stripe_customer_id})
    for subscription in found.auto_paging_iter():
        metadata = subscription.metadata.to_dict() if subscription.metadata else {}
        if metadata.get("town_id") == str(account.town_id):
            return subscription
    return None


def _item_module(item: Any) -> str:
    metadata = item.metadata.to_dict() if item.metadata else {}
    return str(metadata.get("module", ""))


def billing_subscription_sync(*, town: Municipality) -> SyncResult:
    """Makes the town's subscription hold one item per allowed, priced module.

    No subscription yet: one is made with every item (the first invoice follows
    at once). Otherwise a module newly allowed gets its item with a prorated
    charge for the rest of the period (``create_prorations``: on the next
    invoice); a withdrawn module's item goes without a credit
    (``proration_behavior=none``): the town has paid the period it is in and is
    not billed for it again, which is what removing it at the period's end
    costs. With nothing left to bill, the subscription ends at the period's end.
    A module without a price for the town's interval and band is left out and
    logged (``unpriced``). How the town pays (invoice with its payment terms, or
    SEPA direct debit) is set on the subscription each time.
    """
    account = billing_customer_ensure(town=town)
    wanted, unpriced = _wanted_prices(town=town, account=account)
    for key in unpriced:
        logger.error(
            "Module %s of %s has no price for %s; not billed", key, town.ags, account.interval
        )
    price_ids = {key: module_price_ensure(price=price) for key, price in wanted.items()}
    client = stripe_client()
    result = SyncResult(unpriced=unpriced)
    subscription = _subscription_find(client=client, account=account)
    if subscription is None:
        if not price_ids:
            return result
        create_params: Any = {
            "customer": account.stripe_customer_id,
            "items": [
                {"price": price_id, "metadata": {"module": key}}
                for key, price_id in sorted(price_ids.items())
            ],
            "metadata": {"town_id": str(town.pk), "ags": town.ags},
            **_collection_params(account),
        }
        subscription = client.v1.subscriptions.create(
            params=create_params,
            options={"idempotency_key": f"town-{town.pk}-{town.ags}-subscription"},
        )
        result.created, result.added = True, sorted(price_ids)
        logger.info("Stripe subscription %s made for %s", subscription.id, town.ags)
    else:
        items = {_item_module(item): item for item in subscription["items"].data}
        for key in sorted(set(price_ids) - set(items)):
            client.v1.subscription_items.create(
                params={
                    "subscription": subscription.id,
                    "price": price_ids[key],
                    "metadata": {"module": key},
                    "proration_behavior": "create_prorations",
                },
                options={"idempotency_key": f"{subscription.id}-add-{key}-{price_ids[key]}"},
            )
            result.added.append(key)
        gone = sorted(set(items) - set(price_ids))
        if gone and not price_ids:
            # Stripe keeps at least one item: the whole subscription ends with the period.
            client.v1.subscriptions.update(subscription.id, params={"cancel_at_period_end": True})
            result.removed = gone
        else:
            for key in gone:
                client.v1.subscription_items.delete(
                    items[key].id, params={"proration_behavior": "none"}
                )
                result.removed.append(key)
        wanted_params = _collection_params(account)
        current = subscription.to_dict()
        changes: Any = {
            name: value
            for name, value in wanted_params.items()
            if name != "payment_settings" and current.get(name) != value
        }
        if price_ids and subscription.cancel_at_period_end:
            changes["cancel_at_period_end"] = False
        if changes:
            client.v1.subscriptions.update(subscription.id, params={**wanted_params, **changes})
        subscription = client.v1.subscriptions.retrieve(subscription.id)
    result.subscription_id = subscription.id
    with transaction.atomic(durable=True):
        BillingAccount.objects.filter(pk=account.pk).update(
            stripe_subscription_id=subscription.id, subscription_status=subscription.status
        )
    return result
