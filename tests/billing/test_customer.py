"""A newly onboarded town gets exactly one Stripe customer, however often the task runs."""

import threading
from typing import Any

import pytest
import stripe
from django.db import connection, connections, transaction
from stripe import _http_client as stripe_http

from rathaus.billing import services
from rathaus.billing.models import BillingAccount
from rathaus.billing.services import billing_customer_ensure
from rathaus.billing.tasks import billing_customer_create
from rathaus.platform.audit.services import Actor
from rathaus.tenants import tasks as tenant_tasks
from rathaus.tenants.models import Municipality
from rathaus.vendor.onboarding import tenant_onboard

ARNEBURG: dict[str, Any] = {
    "ags": "15090010",
    "name": "Arneburg",
    "slug": "arneburg",
    "admin_email": "buergermeister@arneburg.example",
}


def _customers(api: stripe.StripeClient) -> list[stripe.Customer]:
    return list(api.v1.customers.list(params={"limit": 100}).auto_paging_iter())


def _metadata(customer: stripe.Customer) -> dict[str, str]:
    return customer.metadata.to_dict() if customer.metadata else {}


def _run_task(town: Municipality) -> None:
    # As onboarding sends it: in the public schema.
    billing_customer_create.apply(
        args=(town.pk,), headers={"_schema_name": "public"}, throw=True
    ).get()


@pytest.fixture
def onboarded(
    db: None,
    stripe_api: stripe.StripeClient,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> Municipality:
    """Arneburg, onboarded; the billing task it queued is checked, not yet run."""
    queued: list[dict[str, Any]] = []
    monkeypatch.setattr(
        billing_customer_create, "apply_async", lambda **kwargs: queued.append(kwargs)
    )
    monkeypatch.setattr(tenant_tasks.schema_pool_refill, "apply_async", lambda **kwargs: None)
    with django_capture_on_commit_callbacks(execute=True):
        town = tenant_onboard(**ARNEBURG, actor=Actor.system("vendor-test")).town
    assert queued == [{"args": (town.pk,), "headers": {"_schema_name": "public"}}]
    return town


def test_onboarding_then_the_task_makes_one_customer_named_after_the_town(
    onboarded: Municipality, stripe_api: stripe.StripeClient
) -> None:
    assert _customers(stripe_api) == []

    _run_task(onboarded)

    [customer] = _customers(stripe_api)
    assert customer.name == "Arneburg"
    assert _metadata(customer) == {
        "ags": "15090010",
        "town_id": str(onboarded.pk),
        "slug": "arneburg",
    }
    account = BillingAccount.objects.get(town=onboarded)
    assert account.stripe_customer_id == customer.id


def test_running_the_task_again_makes_no_second_customer(
    onboarded: Municipality, stripe_api: stripe.StripeClient
) -> None:
    _run_task(onboarded)
    _run_task(onboarded)

    assert len(_customers(stripe_api)) == 1
    assert BillingAccount.objects.filter(town=onboarded).count() == 1


def test_the_account_row_is_in_the_public_schema_only(
    onboarded: Municipality, stripe_api: stripe.StripeClient
) -> None:
    _run_task(onboarded)

    table = BillingAccount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = %s", [table]
        )
        assert [row[0] for row in cursor.fetchall()] == ["public"]
        cursor.execute(f"SELECT town_id FROM public.{table}")  # noqa: S608 (our table name)
        assert cursor.fetchall() == [(onboarded.pk,)]


def test_a_crash_after_stripe_made_the_customer_gets_the_same_customer_on_retry(
    onboarded: Municipality, stripe_api: stripe.StripeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(**kwargs: object) -> BillingAccount:
        raise RuntimeError("worker killed before the row was saved")

    with monkeypatch.context() as patch:
        patch.setattr(services.BillingAccount.objects, "create", crash)
        with pytest.raises(RuntimeError):
            _run_task(onboarded)
    [made] = _customers(stripe_api)
    assert not BillingAccount.objects.filter(town=onboarded).exists()

    _run_task(onboarded)  # the retry

    assert [customer.id for customer in _customers(stripe_api)] == [made.id]
    assert BillingAccount.objects.get(town=onboarded).stripe_customer_id == made.id


def test_each_town_gets_its_own_customer(
    town_a: Municipality, town_b: Municipality, stripe_api: stripe.StripeClient
) -> None:
    account_a = billing_customer_ensure(town=town_a)
    account_b = billing_customer_ensure(town=town_b)

    assert account_a.stripe_customer_id != account_b.stripe_customer_id
    by_id = {customer.id: customer for customer in _customers(stripe_api)}
    assert by_id[account_a.stripe_customer_id].name == town_a.name
    assert _metadata(by_id[account_b.stripe_customer_id])["ags"] == town_b.ags
    assert billing_customer_ensure(town=town_a) == account_a  # and it stays that one


def test_stripe_unreachable_stores_nothing(town_a: Municipality, settings: Any) -> None:
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there

    with pytest.raises(stripe.APIConnectionError):
        billing_customer_ensure(town=town_a)

    assert not BillingAccount.objects.filter(town=town_a).exists()


def test_stripe_is_called_with_no_transaction_of_ours_open(
    onboarded: Municipality, stripe_api: stripe.StripeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A spy on the real HTTP calls: how deep in transactions is the connection meanwhile?
    test_depth = len(connection.atomic_blocks)  # the test's own transaction
    depths: list[tuple[str, int]] = []
    send = stripe_http.HTTPClient.request_with_retries

    def spy(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        depths.append((f"{method} {url.split('/v1/')[-1]}", len(connection.atomic_blocks)))
        return send(self, method, url, *args, **kwargs)

    monkeypatch.setattr(stripe_http.HTTPClient, "request_with_retries", spy)

    _run_task(onboarded)

    assert [call for call, _ in depths] == ["get customers?limit=100", "post customers"]
    assert all(depth == test_depth for _, depth in depths)
    assert BillingAccount.objects.filter(town=onboarded).exists()


def test_inside_a_callers_transaction_it_refuses_before_calling_stripe(
    town_a: Municipality, stripe_api: stripe.StripeClient
) -> None:
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        billing_customer_ensure(town=town_a)

    assert _customers(stripe_api) == []


def test_two_tasks_at_once_leave_the_town_one_customer(
    live_towns: dict[str, Municipality],
    db: None,
    stripe_api: stripe.StripeClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two workers, each with its own (committed) database connection, both look for
    # the customer before either makes one: localstripe has no idempotency keys, so
    # both make one, and the call that stores its customer second must delete its own.
    town = live_towns["a"]
    looked = threading.Barrier(2)
    find = services._customer_find

    def find_then_wait(**kwargs: Any) -> stripe.Customer | None:
        found = find(**kwargs)
        looked.wait(timeout=30)
        return found

    monkeypatch.setattr(services, "_customer_find", find_then_wait)
    accounts: list[str] = []
    failures: list[BaseException] = []

    def ensure() -> None:
        try:
            accounts.append(billing_customer_ensure(town=town).stripe_customer_id)
        except BaseException as error:  # reported by the test below
            failures.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=ensure) for _ in range(2)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=60)
        assert not failures
        [customer] = _customers(stripe_api)
        assert accounts == [customer.id, customer.id]
        assert BillingAccount.objects.get(town=town).stripe_customer_id == customer.id
    finally:
        cleanup = threading.Thread(target=_delete_accounts_committed)
        cleanup.start()
        cleanup.join(timeout=30)


def _delete_accounts_committed() -> None:
    try:
        BillingAccount.objects.all().delete()
    finally:
        connections.close_all()
