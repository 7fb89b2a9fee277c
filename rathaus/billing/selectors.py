"""Billing's reads: a town's plan and invoices, the vendor's revenue and who is behind."""

import datetime as dt
import logging
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import stripe
from django.db.models import QuerySet

from rathaus.billing.client import stripe_client
from rathaus.billing.models import BillingAccount, DunningState, Interval, Invoice, ModulePrice
from rathaus.billing.prices import euros, module_price_for
from rathaus.modules.models import ModuleActivation
from rathaus.modules.registry import modules
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)

MONTHS = {Interval.MONTH: 1, Interval.YEAR: 12}


@dataclass(frozen=True)
class PaidModule:
    key: str
    title: str
    amount: Decimal | None  # None: no price for the town's interval and band (not billed)


@dataclass(frozen=True)
class UpcomingInvoice:
    amount_due: Decimal
    date: Any  # datetime of the period's end, when it is made


@dataclass(frozen=True)
class TownBilling:
    """What a town admin sees of the town's billing."""

    account: BillingAccount | None
    modules: list[PaidModule]
    invoices: list[Invoice]
    upcoming: UpcomingInvoice | None

    @property
    def total(self) -> Decimal:
        return sum((m.amount or Decimal(0) for m in self.modules), Decimal("0.00"))


def account_of(*, town: Municipality) -> BillingAccount | None:
    return BillingAccount.objects.filter(town=town).first()


def _paid_modules(*, town: Municipality, account: BillingAccount) -> list[PaidModule]:
    keys = ModuleActivation.objects.filter(town=town, allowed=True).values_list("module", flat=True)
    paid = []
    for key in sorted(keys):
        if key not in modules:
            continue
        price = module_price_for(account=account, price_key=modules[key].price)
        paid.append(PaidModule(key, str(modules[key].title), price.amount if price else None))
    return sorted(paid, key=lambda m: m.title)


def _upcoming(*, account: BillingAccount) -> UpcomingInvoice | None:
    """Stripe's preview of the next invoice; None without a subscription or while Stripe is away."""
    if not account.stripe_subscription_id or account.subscription_status == "canceled":
        return None
    try:
        preview = stripe_client().v1.invoices.create_preview(
            params={"subscription": account.stripe_subscription_id}
        )
    except stripe.StripeError:
        logger.warning("No upcoming invoice for %s from Stripe", account.stripe_customer_id)
        return None
    when = dt.datetime.fromtimestamp(preview.period_end, tz=dt.UTC) if preview.period_end else None
    return UpcomingInvoice(amount_due=euros(preview.amount_due), date=when)


def town_billing(*, town: Municipality, with_upcoming: bool = True) -> TownBilling:
    """The town's plan, the modules it pays for, its invoices (newest first) and the next one."""
    account = account_of(town=town)
    if account is None:
        return TownBilling(account=None, modules=[], invoices=[], upcoming=None)
    return TownBilling(
        account=account,
        modules=_paid_modules(town=town, account=account),
        invoices=list(Invoice.objects.filter(account=account)),
        upcoming=_upcoming(account=account) if with_upcoming else None,
    )


@dataclass(frozen=True)
class VendorRevenue:
    """The console's figures: monthly recurring revenue, towns past due, towns churned."""

    mrr: Decimal
    paying_towns: int
    past_due: list[BillingAccount]
    churned: list[BillingAccount]


def all_tenants_billing_summary() -> VendorRevenue:
    """MRR from the allowed modules' prices (a yearly price counts a twelfth), for the towns
    with a live subscription; towns in dunning; towns whose subscription ended."""
    accounts: QuerySet[BillingAccount] = BillingAccount.objects.select_related("town")
    live = [a for a in accounts if a.stripe_subscription_id and a.subscription_status != "canceled"]
    allowed: dict[int, list[str]] = {}
    for town_id, key in ModuleActivation.objects.filter(
        allowed=True, town_id__in=[a.town_id for a in live]
    ).values_list("town_id", "module"):
        allowed.setdefault(town_id, []).append(key)
    prices = list(ModulePrice.objects.all())
    mrr = Decimal("0.00")
    for account in live:
        for key in allowed.get(account.town_id, []):
            if key not in modules:
                continue
            price = _price_in(prices, account=account, price_key=modules[key].price)
            if price is not None:
                mrr += (price.amount / MONTHS[Interval(price.interval)]).quantize(Decimal("0.01"))
    return VendorRevenue(
        mrr=mrr,
        paying_towns=len(live),
        past_due=sorted(
            (a for a in accounts if a.dunning_state != DunningState.GOOD),
            key=lambda a: (a.past_due_since is None, a.past_due_since, a.town.name),
        ),
        churned=sorted(
            (a for a in accounts if a.subscription_status == "canceled"), key=lambda a: a.town.name
        ),
    )


def _price_in(
    prices: list[ModulePrice], *, account: BillingAccount, price_key: str
) -> ModulePrice | None:
    """``module_price_for`` over rows already read (no query per town)."""
    fitting = [
        p
        for p in prices
        if p.price_key == price_key
        and p.interval == account.interval
        and p.population_from <= (account.population or 0)
    ]
    return max(fitting, key=lambda p: p.population_from, default=None)
