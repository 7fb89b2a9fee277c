"""A town's subscription holds one item per module the vendor allows, however it got there."""

from decimal import Decimal
from typing import Any

import pytest
import stripe

from rathaus.billing.models import BillingAccount, CollectionMethod, ModulePrice
from rathaus.billing.subscriptions import billing_subscription_sync
from rathaus.billing.tasks import billing_subscription_sync_task
from rathaus.modules.services import module_allow
from rathaus.tenants.models import Municipality
from tests.billing.helpers import VENDOR, allow_only, items_by_module


@pytest.fixture
def two_modules(town_a: Municipality, stripe_api: stripe.StripeClient) -> Municipality:
    allow_only(town_a, "contact", "news")
    return town_a


def test_two_allowed_modules_make_one_subscription_with_two_items_and_an_invoice(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    result = billing_subscription_sync(town=two_modules)

    assert result.created
    assert result.added == ["contact", "news"]
    account = BillingAccount.objects.get(town=two_modules)
    items = items_by_module(stripe_api, account.stripe_subscription_id)
    assert sorted(items) == ["contact", "news"]
    assert items["news"].price.unit_amount == 2900
    assert items["news"].price.lookup_key == "module_news-month"
    subscription = stripe_api.v1.subscriptions.retrieve(account.stripe_subscription_id)
    assert subscription.collection_method == "send_invoice"
    assert subscription.days_until_due == 30
    [invoice] = stripe_api.v1.invoices.list(params={"customer": account.stripe_customer_id}).data
    assert invoice.amount_due == 1900 + 2900
    assert invoice.status == "open"


def test_syncing_again_changes_nothing(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    first = billing_subscription_sync(town=two_modules)
    again = billing_subscription_sync(town=two_modules)

    assert (again.created, again.added, again.removed) == (False, [], [])
    assert again.subscription_id == first.subscription_id
    customer = BillingAccount.objects.get(town=two_modules).stripe_customer_id
    assert len(stripe_api.v1.subscriptions.list(params={"customer": customer}).data) == 1
    assert len(stripe_api.v1.invoices.list(params={"customer": customer}).data) == 1


def test_allowing_a_third_module_adds_a_prorated_item_for_the_next_invoice(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    subscription_id = billing_subscription_sync(town=two_modules).subscription_id
    module_allow(town=two_modules, key="appointments", allowed=True, actor=VENDOR)

    result = billing_subscription_sync(town=two_modules)

    assert result.added == ["appointments"]
    assert sorted(items_by_module(stripe_api, subscription_id)) == [
        "appointments",
        "contact",
        "news",
    ]
    upcoming = stripe_api.v1.invoices.create_preview(params={"subscription": subscription_id})
    proration = [line for line in upcoming.lines.data if line.to_dict()["proration"]]
    # Allowed just now: (almost) the whole month of 79 € on top of the next month's 127 €.
    assert len(proration) == 1
    assert 7800 <= proration[0].amount <= 7900
    assert upcoming.amount_due == 1900 + 2900 + 7900 + proration[0].amount


def test_withdrawing_a_module_removes_its_item_without_a_credit(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    subscription_id = billing_subscription_sync(town=two_modules).subscription_id
    module_allow(town=two_modules, key="news", allowed=False, actor=VENDOR)

    assert billing_subscription_sync(town=two_modules).removed == ["news"]

    assert sorted(items_by_module(stripe_api, subscription_id)) == ["contact"]
    upcoming = stripe_api.v1.invoices.create_preview(params={"subscription": subscription_id})
    # The month already invoiced is not credited; from the next one only Kontakt is billed.
    assert [line.amount for line in upcoming.lines.data] == [1900]


def test_withdrawing_every_module_ends_the_subscription_with_its_period(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    subscription_id = billing_subscription_sync(town=two_modules).subscription_id
    allow_only(two_modules)
    billing_subscription_sync(town=two_modules)

    assert stripe_api.v1.subscriptions.retrieve(subscription_id).cancel_at_period_end is True

    module_allow(town=two_modules, key="news", allowed=True, actor=VENDOR)
    billing_subscription_sync(town=two_modules)
    subscription = stripe_api.v1.subscriptions.retrieve(subscription_id)
    assert subscription.cancel_at_period_end is False
    assert sorted(items_by_module(stripe_api, subscription_id)) == ["news"]


def test_a_town_paying_by_sepa_debit_is_charged_automatically(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    BillingAccount.objects.filter(town=two_modules).delete()
    from rathaus.billing.services import billing_customer_ensure

    account = billing_customer_ensure(town=two_modules)
    BillingAccount.objects.filter(pk=account.pk).update(
        collection_method=CollectionMethod.SEPA_DEBIT
    )

    subscription_id = billing_subscription_sync(town=two_modules).subscription_id

    subscription = stripe_api.v1.subscriptions.retrieve(subscription_id)
    assert subscription.collection_method == "charge_automatically"
    assert subscription.to_dict()["payment_settings"]["payment_method_types"] == ["sepa_debit"]
    [invoice] = stripe_api.v1.invoices.list(params={"subscription": subscription_id}).data
    assert invoice.status == "paid"


def test_payment_terms_changed_by_the_vendor_reach_the_subscription(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    subscription_id = billing_subscription_sync(town=two_modules).subscription_id
    BillingAccount.objects.filter(town=two_modules).update(days_until_due=14)

    billing_subscription_sync(town=two_modules)

    assert stripe_api.v1.subscriptions.retrieve(subscription_id).days_until_due == 14


def test_a_larger_town_pays_the_price_of_its_population_band_yearly(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    from rathaus.billing.services import billing_customer_ensure

    account = billing_customer_ensure(town=two_modules)
    BillingAccount.objects.filter(pk=account.pk).update(population=25_000, interval="year")

    subscription_id = billing_subscription_sync(town=two_modules).subscription_id

    items = items_by_module(stripe_api, subscription_id)
    assert items["news"].price.unit_amount == 2 * 2900 * 10
    assert items["news"].price.lookup_key == "module_news-year-from20000"
    assert items["news"].price.to_dict()["recurring"]["interval"] == "year"


def test_a_changed_price_makes_a_new_stripe_price_under_the_same_lookup_key(
    two_modules: Municipality, stripe_api: stripe.StripeClient
) -> None:
    billing_subscription_sync(town=two_modules)
    news = ModulePrice.objects.get(price_key="module_news", interval="month", population_from=0)
    old = news.stripe_price_id
    news.amount = Decimal("31.50")
    news.save()
    module_allow(town=two_modules, key="appointments", allowed=True, actor=VENDOR)

    billing_subscription_sync(town=two_modules)  # ensures every wanted price

    news.refresh_from_db()
    assert news.stripe_price_id != old
    [current] = stripe_api.v1.prices.list(params={"lookup_keys": ["module_news-month"]}).data
    assert (current.id, current.unit_amount) == (news.stripe_price_id, 3150)


def test_the_vendor_changing_a_gate_queues_the_sync_after_the_commit(
    two_modules: Municipality,
    stripe_api: stripe.StripeClient,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(
        billing_subscription_sync_task, "apply_async", lambda **kwargs: queued.append(kwargs)
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        module_allow(town=two_modules, key="appointments", allowed=True, actor=VENDOR)
    assert queued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert queued == [{"args": (two_modules.pk,), "headers": {"_schema_name": "public"}}]

    billing_subscription_sync_task.apply(args=(two_modules.pk,), throw=True)

    account = BillingAccount.objects.get(town=two_modules)
    assert sorted(items_by_module(stripe_api, account.stripe_subscription_id)) == [
        "appointments",
        "contact",
        "news",
    ]


def test_each_town_has_its_own_subscription(
    two_modules: Municipality, town_b: Municipality, stripe_api: stripe.StripeClient
) -> None:
    allow_only(town_b, "appointments")
    a = billing_subscription_sync(town=two_modules).subscription_id
    b = billing_subscription_sync(town=town_b).subscription_id

    assert a != b
    assert sorted(items_by_module(stripe_api, b)) == ["appointments"]
    assert sorted(items_by_module(stripe_api, a)) == ["contact", "news"]


def test_onboarding_a_town_with_two_modules_queues_syncs_that_make_two_items(
    db: None,
    stripe_api: stripe.StripeClient,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rathaus.billing.tasks import billing_customer_create
    from rathaus.tenants import tasks as tenant_tasks
    from rathaus.vendor.onboarding import tenant_onboard

    queued: list[int] = []
    monkeypatch.setattr(
        billing_subscription_sync_task, "apply_async", lambda args, **kw: queued.append(args[0])
    )
    monkeypatch.setattr(billing_customer_create, "apply_async", lambda **kwargs: None)
    monkeypatch.setattr(tenant_tasks.schema_pool_refill, "apply_async", lambda **kwargs: None)
    with django_capture_on_commit_callbacks(execute=True):
        town = tenant_onboard(
            ags="15090010",
            name="Arneburg",
            slug="arneburg",
            admin_email="amt@arneburg.example",
            modules=["contact", "news"],
            actor=VENDOR,
        ).town

    assert set(queued) == {town.pk}
    for town_id in queued:  # one per module allowed; the second finds nothing left to do
        billing_subscription_sync_task.apply(args=(town_id,), throw=True)
    account = BillingAccount.objects.get(town=town)
    assert sorted(items_by_module(stripe_api, account.stripe_subscription_id)) == [
        "contact",
        "news",
    ]
    customer = account.stripe_customer_id
    assert len(stripe_api.v1.subscriptions.list(params={"customer": customer}).data) == 1
