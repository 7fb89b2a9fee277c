"""Citizen payments: the platform's payments port and its providers.

A module asks for a payment (``services.payment_request``: an amount as ``Decimal``
with its currency, a purpose and a reference to its own object) and is told of the
outcome through the listener it registered (``registry.listeners``). Providers
(invoice, Stripe, ...) are plugins configured per town (``registry.providers``).
"""
