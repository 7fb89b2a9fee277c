"""Billing's page in a town's back office (``/staff/billing/``)."""

from django.urls import path

from rathaus.billing import staff_views

app_name = "billing"

urlpatterns = [
    path("", staff_views.billing_invoices, name="invoices"),
    path(
        "<str:stripe_id>/xrechnung.xml",
        staff_views.billing_invoice_xrechnung,
        name="invoice-xrechnung",
    ),
]
