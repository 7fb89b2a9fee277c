"""Billing: a Stripe customer per town, a subscription item per module (later issue)."""
