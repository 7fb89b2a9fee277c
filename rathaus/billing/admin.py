"""The vendor's billing rows in the Django admin: prices as data, and how each town pays."""

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from rathaus.billing.models import BillingAccount, Invoice, ModulePrice, StripeEvent
from rathaus.billing.tasks import billing_subscription_sync_task


@admin.register(ModulePrice)
class ModulePriceAdmin(admin.ModelAdmin):
    list_display = ["price_key", "interval", "population_from", "amount", "stripe_price_id"]
    list_filter = ["price_key", "interval"]
    readonly_fields = ["stripe_price_id", "stripe_amount"]


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    """Payment terms, interval, band and grace periods per town; saving syncs the subscription."""

    list_display = ["town", "collection_method", "days_until_due", "interval", "dunning_state"]
    list_filter = ["collection_method", "interval", "dunning_state"]
    search_fields = ["town__name", "town__ags", "stripe_customer_id"]
    fields = [
        "town",
        "stripe_customer_id",
        "collection_method",
        "days_until_due",
        "interval",
        "population",
        "leitweg_id",
        "read_only_after_days",
        "suspend_after_days",
        "stripe_subscription_id",
        "subscription_status",
        "dunning_state",
        "past_due_since",
    ]
    readonly_fields = [
        "town",
        "stripe_customer_id",
        "stripe_subscription_id",
        "subscription_status",
        "dunning_state",
        "past_due_since",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by billing_customer_ensure only

    def save_model(
        self, request: HttpRequest, obj: BillingAccount, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        town_id = obj.town_id
        transaction.on_commit(
            lambda: billing_subscription_sync_task.apply_async(
                args=(town_id,), headers={"_schema_name": "public"}
            )
        )


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "account", "status", "amount_due", "due_date", "created_at_stripe"]
    list_filter = ["status"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ["stripe_id", "type", "created_at_stripe", "received", "applied"]
    list_filter = ["type"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
