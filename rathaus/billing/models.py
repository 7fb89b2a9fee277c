"""Billing's rows live in the public schema: they belong to the vendor, not to a town."""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# Leitweg-ID (KoSIT): coarse address (2–12 digits), optional fine address, check digits.
leitweg_id_validator = RegexValidator(
    r"^\d{2,12}(-[A-Za-z0-9]{1,30})?-\d{2}$",
    _("Keine Leitweg-ID (Form: 15090520-ABC12-34)."),
)


class Interval(models.TextChoices):
    MONTH = "month", _("monatlich")
    YEAR = "year", _("jährlich")


class CollectionMethod(models.TextChoices):
    # Stripe: collection_method=send_invoice with days_until_due = the town's payment terms.
    INVOICE = "send_invoice", _("Rechnung")
    # Stripe: collection_method=charge_automatically, payment_method_types=["sepa_debit"].
    SEPA_DEBIT = "sepa_debit", _("SEPA-Lastschrift")


class DunningState(models.TextChoices):
    """Where a town stands with its payments; each step is audited and e-mailed."""

    GOOD = "good", _("in Ordnung")
    PAST_DUE = "past_due", _("überfällig")
    READ_ONLY = "read_only", _("nur lesen")
    SUSPENDED = "suspended", _("gesperrt")


class BillingAccount(models.Model):
    """A town's customer at Stripe; one per town, made once by ``billing_customer_ensure``.

    It also holds how the town pays (invoice with payment terms, or SEPA debit),
    its subscription at Stripe, and where it stands in dunning.
    """

    # Offboarding deletes the town row; the customer stays at Stripe (invoices, records).
    town = models.OneToOneField(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="billing_account"
    )
    stripe_customer_id = models.CharField(max_length=255, unique=True)
    collection_method = models.CharField(
        _("Zahlweise"),
        max_length=16,
        choices=CollectionMethod.choices,
        default=CollectionMethod.INVOICE,
    )
    days_until_due = models.PositiveSmallIntegerField(
        _("Zahlungsziel (Tage)"), default=30, validators=[MinValueValidator(1)]
    )
    interval = models.CharField(
        _("Abrechnungszeitraum"), max_length=8, choices=Interval.choices, default=Interval.MONTH
    )
    population = models.PositiveIntegerField(
        _("Einwohnerzahl"), null=True, blank=True, help_text=_("Wählt die Preisstaffel.")
    )
    # BT-10 of the town's e-invoices (XRechnung): where its invoices are routed to.
    leitweg_id = models.CharField(
        _("Leitweg-ID"), max_length=46, blank=True, validators=[leitweg_id_validator]
    )
    stripe_subscription_id = models.CharField(max_length=255, blank=True)
    subscription_status = models.CharField(max_length=32, blank=True)
    # Dunning: the vendor's grace periods, counted from the day the town fell past due.
    read_only_after_days = models.PositiveSmallIntegerField(
        _("Nur lesen nach (Tage überfällig)"), default=14
    )
    suspend_after_days = models.PositiveSmallIntegerField(
        _("Sperre nach (Tage überfällig)"), default=42
    )
    # Metered letters: the last outbox letter (its id in the town's schema) reported to Stripe.
    letters_reported_through = models.PositiveBigIntegerField(default=0)
    dunning_state = models.CharField(
        max_length=16, choices=DunningState.choices, default=DunningState.GOOD
    )
    past_due_since = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Abrechnungskonto"
        verbose_name_plural = "Abrechnungskonten"

    def __str__(self) -> str:
        return f"{self.town_id}: {self.stripe_customer_id}"


class ModulePrice(models.Model):
    """What a module costs: its price key (``Module.price``), per interval and population band.

    The vendor keeps these rows (Django admin); ``billing_prices_sync`` makes a
    Stripe price for each (lookup key ``<price_key>-<interval>[-from<N>]``) and a
    new one when the amount changes (Stripe prices are immutable).
    """

    price_key = models.CharField(_("Preisschlüssel"), max_length=100)
    interval = models.CharField(
        _("Abrechnungszeitraum"), max_length=8, choices=Interval.choices, default=Interval.MONTH
    )
    # The band: towns with at least this many inhabitants (0 = every town).
    population_from = models.PositiveIntegerField(_("ab Einwohnern"), default=0)
    amount = models.DecimalField(
        _("Betrag (EUR, netto)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.00"))],
    )
    stripe_price_id = models.CharField(max_length=255, blank=True)
    stripe_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("Dienstpreis")
        verbose_name_plural = _("Dienstpreise")
        ordering = ["price_key", "interval", "population_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_key", "interval", "population_from"], name="one_price_per_band"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.price_key} {self.interval} ab {self.population_from}: {self.amount} EUR"

    @property
    def lookup_key(self) -> str:
        band = f"-from{self.population_from}" if self.population_from else ""
        return f"{self.price_key}-{self.interval}{band}"


class StripeEvent(models.Model):
    """A webhook event from Stripe, stored once (its id is unique) and applied once."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    created_at_stripe = models.DateTimeField()
    payload = models.JSONField()
    received = models.DateTimeField(auto_now_add=True)
    applied = models.DateTimeField(null=True, blank=True)
    # Set by the run applying it (see billing.webhooks), so two runs never apply it at once.
    claimed = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "Stripe-Ereignis"
        verbose_name_plural = "Stripe-Ereignisse"

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"


class Invoice(models.Model):
    """The vendor's copy of a town's invoice at Stripe, as the last fetch from Stripe saw it."""

    account = models.ForeignKey(BillingAccount, on_delete=models.CASCADE, related_name="invoices")
    stripe_id = models.CharField(max_length=255, unique=True)
    number = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=32)
    amount_due = models.DecimalField(max_digits=12, decimal_places=2)
    amount_paid = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3, default="eur")
    created_at_stripe = models.DateTimeField()
    due_date = models.DateTimeField(null=True, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    pdf_url = models.URLField(max_length=1000, blank=True)
    hosted_url = models.URLField(max_length=1000, blank=True)
    payment_failed = models.BooleanField(default=False)

    class Meta:
        verbose_name = "Rechnung"
        verbose_name_plural = "Rechnungen"
        ordering = ["-created_at_stripe"]

    def __str__(self) -> str:
        return f"{self.number or self.stripe_id} ({self.status})"
