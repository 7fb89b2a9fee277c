"""Stripe's webhook endpoint on the vendor's hosts: verify, store once, apply after the commit."""

import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rathaus.billing.tasks import billing_event_apply
from rathaus.billing.webhooks import stripe_event_store

logger = logging.getLogger(__name__)


@csrf_exempt  # Stripe signs the request instead
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """400 for a bad signature or body (nothing stored), else 200: stored, or known already."""
    try:
        event = stripe.Webhook.construct_event(
            request.body,
            request.headers.get("Stripe-Signature", ""),
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=settings.STRIPE_WEBHOOK_TOLERANCE,
        )
    except stripe.SignatureVerificationError:
        logger.warning("Stripe webhook with a bad signature refused")
        return HttpResponseBadRequest("bad signature")
    except ValueError:
        return HttpResponseBadRequest("bad payload")
    with transaction.atomic():
        row, new = stripe_event_store(event=event)
        if new:
            stripe_id = row.stripe_id
            transaction.on_commit(
                lambda: billing_event_apply.apply_async(
                    args=(stripe_id,), headers={"_schema_name": "public"}
                )
            )
    return HttpResponse("ok" if new else "known")
