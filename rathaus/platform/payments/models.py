"""A town's payments, its providers' settings and the providers' events, in the town's schema.

A ``Payment`` is what a module asked for (an amount with a purpose for one of its
objects); its state only moves forward (see ``rathaus.platform.payments.states``).
A ``ProviderConfig`` is how the town reaches one provider; its secrets are
encrypted at rest like the federation's (django-fernet-encrypted-fields).
A ``ProviderEvent`` is one webhook event, stored once by its id.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField


class ProviderConfig(models.Model):
    """How the town reaches one payment provider (at most one row per provider)."""

    provider = models.CharField(_("Anbieter"), max_length=64, unique=True)
    enabled = models.BooleanField(_("aktiv"), default=False)
    # Plain settings of the provider (account holder, IBAN, ...), never a secret.
    options = models.JSONField(_("Einstellungen"), default=dict, blank=True)
    # The provider's secrets as a JSON object, encrypted at rest.
    secrets = EncryptedTextField(_("Geheimnisse"), blank=True, null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Zahlungsanbieter")
        verbose_name_plural = _("Zahlungsanbieter")

    def __str__(self) -> str:
        return self.provider


class KassenzeichenCounter(models.Model):
    """The last Kassenzeichen number given out in a year (they count per town and year)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Payment(models.Model):
    """One payment a module asked for; see ``states`` for how its state may move."""

    class State(models.TextChoices):
        STARTED = "started", _("offen")
        PROCESSING = "processing", _("in Bearbeitung")
        PAID = "paid", _("bezahlt")
        FAILED = "failed", _("fehlgeschlagen")
        CANCELLED = "cancelled", _("abgebrochen")
        PARTLY_REFUNDED = "partly_refunded", _("teilweise erstattet")
        REFUNDED = "refunded", _("erstattet")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Town-unique and readable ("2026-000123-5"): on the receipt, in the transfer's reference.
    kassenzeichen = models.CharField(_("Kassenzeichen"), max_length=20, unique=True)
    # The module that asked (its key) and its own object ("A-2026-000001").
    owner = models.CharField(_("Dienst"), max_length=64)
    owner_ref = models.CharField(_("Bezug"), max_length=100)
    purpose = models.CharField(_("Zweck"), max_length=140)
    amount = models.DecimalField(_("Betrag"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("Währung"), max_length=3, default="EUR")
    refunded_amount = models.DecimalField(
        _("erstattet"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    provider = models.CharField(_("Zahlweg"), max_length=64)
    # The provider's own id of this payment (a Checkout Session, an ePayBL Kassenzeichen).
    provider_ref = models.CharField(max_length=255, blank=True)
    state = models.CharField(
        _("Stand"), max_length=16, choices=State.choices, default=State.STARTED
    )
    # The treasury's budget line and object number for the export.
    budget_line = models.CharField(_("Haushaltsstelle"), max_length=40, blank=True)
    object_number = models.CharField(_("Objektnummer"), max_length=40, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    # Where the citizen goes on after paying: a path on the town's site (the module's page).
    return_path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(_("bezahlt am"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Zahlung")
        verbose_name_plural = _("Zahlungen")
        indexes = [
            models.Index(fields=["owner", "owner_ref"], name="payments_of_object"),
            models.Index(fields=["created_at"], name="payments_by_time"),
            # The nightly reconciliation asks for the few payments not final yet.
            models.Index(fields=["state", "provider"], name="payments_by_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_amount_positive"),
            models.CheckConstraint(
                condition=Q(refunded_amount__gte=0, refunded_amount__lte=models.F("amount")),
                name="payments_refund_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kassenzeichen} {self.amount} {self.currency}: {self.state}"

    @property
    def is_final(self) -> bool:
        return self.state not in (self.State.STARTED, self.State.PROCESSING)


class ProviderEvent(models.Model):
    """One event a provider sent (a webhook), stored once by its id and applied once."""

    provider = models.CharField(max_length=64)
    event_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    # What applying it did ("paid", "ignored: amount differs", ...).
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("Ereignis eines Zahlungsanbieters")
        verbose_name_plural = _("Ereignisse der Zahlungsanbieter")
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payments_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class PaymentSettings(models.Model):
    """The town's payment rules (one row): above which amount a refund needs four eyes."""

    refund_four_eyes_above = models.DecimalField(
        _("Erstattungen über diesem Betrag gibt eine zweite Person frei (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("100.00"),
    )

    class Meta:
        verbose_name = _("Einstellungen der Zahlungen")
        verbose_name_plural = _("Einstellungen der Zahlungen")

    def __str__(self) -> str:
        return f"four eyes above {self.refund_four_eyes_above}"


class Refund(models.Model):
    """Money paid back on a payment: asked for by staff, freed by a second person above the
    town's amount, then sent to the provider once."""

    class State(models.TextChoices):
        REQUESTED = "requested", _("wartet auf Freigabe")
        SENDING = "sending", _("wird erstattet")
        DONE = "done", _("erstattet")
        FAILED = "failed", _("fehlgeschlagen")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(_("Betrag"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("Grund"), max_length=200)
    state = models.CharField(max_length=16, choices=State.choices, default=State.REQUESTED)
    requested_by = models.CharField(max_length=254)
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.CharField(max_length=254, blank=True)
    provider_ref = models.CharField(max_length=255, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("Erstattung")
        verbose_name_plural = _("Erstattungen")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payments_refund_positive")
        ]

    def __str__(self) -> str:
        return f"{self.payment_id}: {self.amount} {self.state}"
