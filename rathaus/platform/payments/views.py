"""The citizen's payment page (pay, how it stands, bank details), the providers' return
page and their webhooks, all on the town's own host (thin views)."""

import logging

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url
from rathaus.tenants.town_tasks import queue_on_commit

from . import services, states
from .models import Payment
from .registry import PaymentError, WebhookRefused, providers
from .tasks import payments_event_apply
from .tokens import payment_from_token

logger = logging.getLogger(__name__)


def _payment_or_404(token: str) -> Payment:
    payment = payment_from_token(token)
    if payment is None:
        raise Http404("No such payment in this town")
    return payment


@require_safe
def payment(request: HttpRequest, token: str) -> HttpResponse:
    found = _payment_or_404(token)
    config = services.provider_config(key=found.provider, enabled_only=False)
    provider = providers.get(found.provider)
    lines = (
        provider.receipt_lines(payment=found, config=config)
        if provider is not None and config is not None and found.state in states.OPEN
        else []
    )
    return render(
        request,
        "payments/payment.html",
        {
            "payment": found,
            "token": token,
            "lines": lines,
            "online": provider is not None and provider.online,
            "provider_label": provider.label if provider else found.provider,
        },
    )


@require_POST
def pay(request: HttpRequest, token: str) -> HttpResponse:
    """Sends the citizen to the provider's page (an open, online payment only)."""
    found = _payment_or_404(token)
    provider = providers.get(found.provider)
    if found.state not in states.OPEN or provider is None or not provider.online:
        return redirect("payments:payment", token=token)
    return_url = town_url(town=current_town(), path=reverse("payments:return", args=[token]))
    try:
        started = services.payment_start(town=current_town(), payment=found, return_url=return_url)
    except PaymentError as error:
        logger.warning("payment %s could not start: %s", found.kassenzeichen, error)
        return render(
            request,
            "payments/payment.html",
            {"payment": found, "token": token, "error": True},
            status=502,
        )
    return redirect(started.redirect_url or reverse("payments:payment", args=[token]))


@require_safe
def payment_return(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen is back from the provider: ask it how the payment stands, then show it."""
    found = _payment_or_404(token)
    try:
        services.payment_refresh(town=current_town(), payment=found)
    except PaymentError as error:
        logger.warning("payment %s: the provider could not say: %s", found.kassenzeichen, error)
    return redirect("payments:payment", token=token)


@csrf_exempt  # the provider signs the request instead
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """400 for a request that is not the provider's for this town (nothing stored), else 200."""
    plugin = providers.get(provider)
    config = services.provider_config(key=provider, enabled_only=False) if plugin else None
    if plugin is None or config is None:
        raise Http404("This town takes no payments of this kind")
    try:
        events = plugin.webhook_events(request=request, config=config)
    except WebhookRefused as error:
        logger.warning("payments webhook of %s refused: %s", provider, error)
        return HttpResponseBadRequest("refused")
    new = 0
    for event in events:
        row, created = services.provider_event_store(provider=provider, event=event)
        if created:
            new += 1
            queue_on_commit(payments_event_apply, row.pk, robust=True)
    return HttpResponse("ok" if new else "known")
