"""The console, the vendor API and the admin change the vendor's gate; billing follows each time."""

from typing import Any

import pytest
import stripe
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.billing.models import BillingAccount
from rathaus.billing.tasks import billing_subscription_sync_task
from rathaus.modules.models import ModuleActivation
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from rathaus.vendor.vendor_tokens import vendor_token_create
from tests.billing.helpers import allow_only, items_by_module
from tests.factories import UserFactory
from tests.html import api_error_paths, text_of


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The towns whose sync was queued; ``_run`` runs them as the worker would."""
    towns: list[int] = []
    monkeypatch.setattr(
        billing_subscription_sync_task,
        "apply_async",
        lambda args, **kwargs: towns.append(args[0]),
    )
    return towns


def _run(queued: list[int]) -> None:
    for town_id in dict.fromkeys(queued):
        billing_subscription_sync_task.apply(args=(town_id,), throw=True)
    queued.clear()


@pytest.fixture
def vendor(db: None) -> User:
    return UserFactory.create(email="vendor@rathaus.example", is_staff=True)


@pytest.fixture
def billed_town(town_a: Municipality, stripe_api: stripe.StripeClient) -> Municipality:
    allow_only(town_a, "contact", "news")
    return town_a


def _modules(api: stripe.StripeClient, town: Municipality) -> list[str]:
    account = BillingAccount.objects.get(town=town)
    return sorted(items_by_module(api, account.stripe_subscription_id))


def test_the_console_allows_and_withdraws_a_module_and_the_subscription_follows(
    billed_town: Municipality,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    vendor: User,
    queued: list[int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    public_client.force_login(vendor)
    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(
            f"/console/towns/{billed_town.ags}/modules/appointments/", {"allowed": "1"}, follow=True
        )
    assert "Termine ist für Tangerhütte freigegeben" in text_of(response.content.decode())
    _run(queued)
    assert _modules(stripe_api, billed_town) == ["appointments", "contact", "news"]

    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(
            f"/console/towns/{billed_town.ags}/modules/news/", {"allowed": "0"}, follow=True
        )
    _run(queued)
    assert _modules(stripe_api, billed_town) == ["appointments", "contact"]
    page = text_of(response.content.decode())
    assert "Neuigkeiten freigeben" in page
    assert "Termine entziehen" in page
    assert "Rechnung, 30 Tage Zahlungsziel" in page
    with tenant_context(billed_town):
        assert AuditEntry.objects.filter(action="module.allow", target="news", after=False).exists()


def test_the_vendor_api_allows_a_module(
    billed_town: Municipality,
    stripe_api: stripe.StripeClient,
    vendor: User,
    queued: list[int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    token = vendor_token_create(user=vendor, name="test")
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/vendor/v1/towns/{billed_town.ags}/modules/appointments/",
            {"allowed": True},
            content_type="application/json",
        )
    assert response.status_code == 200
    _run(queued)
    assert _modules(stripe_api, billed_town) == ["appointments", "contact", "news"]

    bad = api.post(
        f"/api/vendor/v1/towns/{billed_town.ags}/modules/nonsense/",
        {"allowed": True},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "nonsense" in api_error_paths(bad)["$.module"]
    assert queued == []


def test_the_admin_withdraws_a_module_through_the_same_service(
    billed_town: Municipality,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _run(queued)
    billing_subscription_sync_task.apply(args=(billed_town.pk,), throw=True)
    public_client.force_login(User.objects.create_superuser("lena@rathaus-betreiber.de", "x-" * 8))
    row = ModuleActivation.objects.get(town=billed_town, module="news")

    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(
            "/admin/modules/moduleactivation/",
            {"action": "withdraw", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    _run(queued)
    assert _modules(stripe_api, billed_town) == ["contact"]


def test_the_admin_changes_payment_terms_and_the_subscription_gets_them(
    billed_town: Municipality,
    stripe_api: stripe.StripeClient,
    public_client: Client,
    queued: list[int],
    django_capture_on_commit_callbacks: Any,
) -> None:
    billing_subscription_sync_task.apply(args=(billed_town.pk,), throw=True)
    account = BillingAccount.objects.get(town=billed_town)
    public_client.force_login(User.objects.create_superuser("lena@rathaus-betreiber.de", "x-" * 8))

    with django_capture_on_commit_callbacks(execute=True):
        response = public_client.post(
            f"/admin/billing/billingaccount/{account.pk}/change/",
            {
                "collection_method": "send_invoice",
                "days_until_due": "21",
                "interval": "month",
                "population": "",
                "read_only_after_days": "14",
                "suspend_after_days": "42",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    _run(queued)
    subscription = stripe_api.v1.subscriptions.retrieve(account.stripe_subscription_id)
    assert subscription.days_until_due == 21
