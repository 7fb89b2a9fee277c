"""Billing's URLs on the vendor's hosts."""

from django.urls import path

from rathaus.billing import views

app_name = "billing-vendor"

urlpatterns = [
    path("webhooks/stripe/", views.stripe_webhook, name="stripe-webhook"),
]
