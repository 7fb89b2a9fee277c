"""Billing's rows live in the public schema: they belong to the vendor, not to a town."""

from django.db import models


class BillingAccount(models.Model):
    """A town's customer at Stripe; one per town, made once by ``billing_customer_ensure``."""

    # Offboarding deletes the town row; the customer stays at Stripe (invoices, records).
    town = models.OneToOneField(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="billing_account"
    )
    stripe_customer_id = models.CharField(max_length=255, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "Abrechnungskonto"
        verbose_name_plural = "Abrechnungskonten"

    def __str__(self) -> str:
        return f"{self.town_id}: {self.stripe_customer_id}"
