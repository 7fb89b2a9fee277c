"""The two registries of payments: providers (how a payment is made) and outcome listeners
(who is told when one is paid, failed or refunded), after Open Forms' ``payments/base.py``.

The contract of a provider
    ``start(payment=..., config=..., return_url=...)`` begins paying and returns a
    ``Start``: a ``redirect_url`` to send the citizen to (a Checkout page), or none when
    the citizen pays by other means (a transfer: the receipt says how).
    ``status(payment=..., config=...)`` asks the provider how the payment stands now
    and returns an ``Outcome`` (the return page and the nightly reconciliation use it).
    ``webhook_events(request=..., config=...)`` checks a webhook's signature and
    returns its ``Event``s (raises ``WebhookRefused`` otherwise); ``event_outcome``
    turns one stored event into an ``Outcome`` (asking the provider for the current
    state; the event's own amount is never trusted). ``refund(payment=..., amount=...,
    config=...)`` asks the provider to pay back ``amount`` and returns its reference;
    ``cancel`` stops an open payment at the provider before it is given up.
    A provider never changes a payment itself: the services apply its outcomes, so
    every state change goes through one conditional UPDATE and one audit entry.

The contract of a listener
    Registered under the key of the module that asks for payments (``Payment.owner``);
    ``paid``, ``failed`` and ``refunded`` are called in the transaction that moves
    the payment, in the payment's town, once per change.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms

from rathaus.platform.messaging.registry import Plugin, Registry, Text

if TYPE_CHECKING:
    from django.http import HttpRequest

    from rathaus.platform.payments.models import Payment, ProviderConfig


class PaymentError(Exception):
    """The provider refused or could not be reached; the message says why."""


class WebhookRefused(Exception):  # noqa: N818 (reads as what happened)
    """A webhook that is not the provider's (bad signature) or not for this town."""


@dataclass(frozen=True)
class Start:
    """How paying goes on: ``redirect_url`` to the provider's page, or none (pay by transfer)."""

    redirect_url: str = ""
    provider_ref: str = ""


@dataclass(frozen=True)
class Outcome:
    """What the provider says of a payment: its state (a ``Payment.State`` value, or ``""``
    for nothing new) and, for a payment, the amount and currency it took."""

    payment: str  # the payment's public id
    state: str
    amount: Decimal | None = None
    currency: str = ""
    refunded: Decimal | None = None
    note: str = ""


@dataclass(frozen=True)
class Event:
    """One webhook event as received: the provider's id, its type and its data."""

    id: str
    type: str
    payload: Mapping[str, Any] = field(default_factory=dict)


class Provider(Plugin):
    """A way to pay (see the module docstring for the contract)."""

    # Whether the citizen leaves for the provider's page (Checkout) or pays later (transfer).
    online: ClassVar[bool] = True
    # The settings the town admin fills in; names in ``secret_fields`` are stored encrypted.
    options_form: ClassVar[type[forms.Form]]
    secret_fields: ClassVar[tuple[str, ...]] = ()

    def start(self, *, payment: "Payment", config: "ProviderConfig", return_url: str) -> Start:
        raise NotImplementedError

    def status(self, *, payment: "Payment", config: "ProviderConfig") -> Outcome | None:
        """The payment as the provider has it now (``None``: the provider cannot tell)."""
        return None

    def webhook_events(self, *, request: "HttpRequest", config: "ProviderConfig") -> list[Event]:
        raise WebhookRefused(f"{self.key} sends no webhooks")

    def event_outcome(self, *, event: Event, config: "ProviderConfig") -> Outcome | None:
        return None

    def cancel(self, *, payment: "Payment", config: "ProviderConfig") -> None:
        """Stops an open payment at the provider (its Checkout page no longer takes money);
        raises ``PaymentError`` when it cannot be stopped any more (paid meanwhile)."""

    def refund(self, *, payment: "Payment", amount: Decimal, config: "ProviderConfig") -> str:
        """Pays ``amount`` back through the provider; returns the provider's reference."""
        return ""

    def receipt_lines(
        self, *, payment: "Payment", config: "ProviderConfig"
    ) -> list[tuple[Text, str]]:
        """What the receipt shows of how to pay (label, value), e.g. the bank details."""
        return []


class Listener(Plugin):
    """Told of a module's payments' outcomes (see the module docstring for the contract)."""

    def paid(self, *, payment: "Payment") -> None:
        """The payment is paid in full."""

    def failed(self, *, payment: "Payment") -> None:
        """The payment failed or was cancelled; the module may offer to pay again."""

    def refunded(self, *, payment: "Payment", amount: Decimal) -> None:
        """``amount`` of the payment was paid back (``payment.refunded_amount`` is the total)."""


providers: Registry[Provider] = Registry("payment provider")
listeners: Registry[Listener] = Registry("payment listener")
