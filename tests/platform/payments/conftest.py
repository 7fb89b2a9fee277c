"""Fixtures of the payments tests: a listener standing in for a module, providers set up."""

import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, TestCase
from django_tenants.utils import tenant_context

from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.platform.payments.models import Payment
from rathaus.platform.payments.registry import Listener, listeners
from rathaus.platform.payments.services import (
    payment_request,
    provider_configure,
    provider_event_apply,
)
from rathaus.platform.payments.tasks import payments_event_apply
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD
from tests.stripe_standin import signed

SYSTEM = Actor.system("test")
OWNER = "testing"
IBAN = "DE89370400440532013000"
INVOICE = {
    "account_holder": "Stadtkasse Tangerhütte",
    "iban": IBAN,
    "bank_name": "",
    "due_days": 14,
}


class RecordingListener(Listener):
    """What a module would be told, in order: ("paid", Kassenzeichen), ..."""

    heard: list[tuple[str, str, str]] = []

    def paid(self, *, payment: Payment) -> None:
        self.heard.append(("paid", payment.kassenzeichen, payment.owner_ref))

    def failed(self, *, payment: Payment) -> None:
        self.heard.append(("failed", payment.kassenzeichen, payment.owner_ref))

    def refunded(self, *, payment: Payment, amount: Decimal) -> None:
        self.heard.append(("refunded", payment.kassenzeichen, str(amount)))


@pytest.fixture
def heard() -> Iterator[list[tuple[str, str, str]]]:
    """The outcomes the test module's listener was told of."""
    listeners.unregister(OWNER)
    listeners.register(OWNER)(RecordingListener)
    RecordingListener.heard = []
    yield RecordingListener.heard
    listeners.unregister(OWNER)


def invoice_on(town: Municipality, **options: Any) -> None:
    with tenant_context(town):
        provider_configure(
            town=town,
            key="invoice",
            enabled=True,
            options={**INVOICE, **options},
            secrets={},
            actor=SYSTEM,
        )


def ask(
    town: Municipality,
    amount: str = "60.00",
    provider: str = "invoice",
    ref: str = "A-1",
    user: User | None = None,
) -> Payment:
    """A payment the test module asks for in ``town``."""
    with tenant_context(town):
        return payment_request(
            town=town,
            owner=OWNER,
            owner_ref=ref,
            amount=Decimal(amount),
            currency="EUR",
            purpose="Hundesteuer Bello",
            provider=provider,
            user=user,
            budget_line="1.1.2.01.4032",
            object_number="HU-0815",
            return_path="/",
        )


def town_admin(town: Municipality, client: Client, email: str = "kasse@example.org") -> User:
    with tenant_context(town):
        user = staff_add(town=town, email=email, roles=["town_admin"], actor=SYSTEM)
        user.set_password(PASSWORD)
        user.save()
    answer = client.post("/accounts/login/", {"username": email, "password": PASSWORD})
    assert answer.status_code == 302, answer.content.decode()
    return user


WEBHOOK = "/payments/webhook/stripe/"


def stripe_on(town: Municipality) -> None:
    with tenant_context(town):
        provider_configure(
            town=town,
            key="stripe",
            enabled=True,
            options={},
            secrets={"secret_key": f"sk_test_{town.slug}", "webhook_secret": secret_of(town)},
            actor=SYSTEM,
        )


def secret_of(town: Municipality) -> str:
    return f"whsec_{town.slug}"


def deliver(client: Client, event: dict[str, Any], town: Municipality, secret: str = "") -> Any:
    body = json.dumps(event).encode()
    with TestCase.captureOnCommitCallbacks(execute=True):  # as after the request's commit
        return client.post(
            WEBHOOK,
            body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=signed(body, secret=secret or secret_of(town)),
        )


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The events the webhook queued for applying (the test applies them itself)."""
    rows: list[int] = []
    monkeypatch.setattr(
        payments_event_apply, "apply_async", lambda args, **kwargs: rows.append(args[0])
    )
    return rows


def apply_all(town: Municipality, rows: list[int]) -> list[bool]:
    with tenant_context(town):
        return [provider_event_apply(town=town, event_pk=pk) for pk in rows]
