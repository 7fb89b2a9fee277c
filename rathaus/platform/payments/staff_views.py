"""The back office's payment pages: the list by period, the treasury's export, one payment
(mark it paid), and the town admin's providers (thin views)."""

import json

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town

from . import refunds, selectors, services, states
from .camt import StatementRefused, statement_import
from .export import payments_csv
from .forms import (
    EnabledForm,
    MarkPaidForm,
    PaymentFilterForm,
    RefundForm,
    SettingsForm,
    StatementForm,
)
from .models import Payment, ProviderConfig, Refund
from .registry import PaymentError, providers

PAGE_SIZE = 50
admin = staff_required()


def _filtered(request: HttpRequest) -> tuple[PaymentFilterForm, QuerySet[Payment]]:
    filters = PaymentFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    payments = selectors.payments_in(
        start=chosen.get("start"),
        end=chosen.get("end"),
        state=chosen.get("state", ""),
        search=chosen.get("q", ""),
    )
    return filters, payments


@admin
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    filters, payments = _filtered(request)
    page = Paginator(payments, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "payments/staff/index.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
        status=400 if filters.errors else 200,
    )


@admin
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    filters, payments = _filtered(request)
    if filters.errors:
        return HttpResponse(filters.errors.as_text(), status=400, content_type="text/plain")
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(payments_csv(payments), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="zahlungen-{stamp}.csv"'
    return response


def _payment_or_404(kassenzeichen: str) -> Payment:
    payment = selectors.payment_by_kassenzeichen(kassenzeichen)
    if payment is None:
        raise Http404("No such payment in this town")
    return payment


def _detail(
    request: HttpRequest,
    payment: Payment,
    *,
    mark_paid: MarkPaidForm | None = None,
    refund: RefundForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "payments/staff/detail.html",
        {
            "payment": payment,
            "mark_paid": mark_paid or MarkPaidForm(),
            "open": not payment.is_final,
            "refund_form": (refund or RefundForm()) if payment.state in states.REFUNDABLE else None,
            "refunds": payment.refunds.all(),
            "four_eyes_above": refunds.payment_settings().refund_four_eyes_above,
            "me": request_actor(request).label,
        },
        status=status,
    )


@admin
@require_safe
def detail(request: HttpRequest, kassenzeichen: str) -> HttpResponse:
    return _detail(request, _payment_or_404(kassenzeichen))


@admin
@require_POST
def refund(request: HttpRequest, kassenzeichen: str) -> HttpResponse:
    payment = _payment_or_404(kassenzeichen)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            done = refunds.refund_request(
                town=current_town(),
                payment=payment,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request_actor(request),
            )
        except PaymentError as error:
            form.add_error(None, _("Nicht erstattet: %(error)s") % {"error": error})
        else:
            if done.state == Refund.State.DONE:
                messages.success(request, _("Der Betrag ist erstattet."))
            else:
                messages.info(
                    request, _("Die Erstattung wartet auf die Freigabe durch eine zweite Person.")
                )
            return redirect("staff-payments:detail", kassenzeichen=kassenzeichen)
    return _detail(request, payment, refund=form, status=400)


@admin
@require_POST
def refund_approve(request: HttpRequest, kassenzeichen: str, pk: int) -> HttpResponse:
    payment = _payment_or_404(kassenzeichen)
    found = payment.refunds.filter(pk=pk).first()
    if found is None:
        raise Http404("No such refund")
    try:
        refunds.refund_approve(town=current_town(), refund=found, actor=request_actor(request))
    except refunds.FourEyes:
        messages.error(request, _("Eine zweite Person muss diese Erstattung freigeben."))
    except PaymentError as error:
        messages.error(request, _("Nicht erstattet: %(error)s") % {"error": error})
    else:
        messages.success(request, _("Die Erstattung ist freigegeben."))
    return redirect("staff-payments:detail", kassenzeichen=kassenzeichen)


@admin
@require_http_methods(["GET", "HEAD", "POST"])
def payment_rules(request: HttpRequest) -> HttpResponse:
    current = refunds.payment_settings()
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"four_eyes_above": current.refund_four_eyes_above},
    )
    if request.method == "POST" and form.is_valid():
        refunds.payment_settings_save(
            town=current_town(),
            four_eyes_above=form.cleaned_data["four_eyes_above"],
            actor=request_actor(request),
        )
        messages.success(request, _("Gespeichert."))
        return redirect("staff-payments:index")
    return render(
        request, "payments/staff/settings.html", {"form": form}, status=400 if form.errors else 200
    )


@admin
@require_POST
def mark_paid(request: HttpRequest, kassenzeichen: str) -> HttpResponse:
    payment = _payment_or_404(kassenzeichen)
    form = MarkPaidForm(request.POST)
    if not form.is_valid():
        return _detail(request, payment, mark_paid=form, status=400)
    moved = services.payment_mark_paid(
        town=current_town(),
        payment=payment,
        actor=request_actor(request),
        note=form.cleaned_data["note"],
    )
    if moved:
        messages.success(request, _("Die Zahlung ist als bezahlt vermerkt."))
    else:
        messages.error(request, _("Diese Zahlung ist nicht mehr offen."))
    return redirect("staff-payments:detail", kassenzeichen=payment.kassenzeichen)


@admin
@require_http_methods(["GET", "HEAD", "POST"])
def statement(request: HttpRequest) -> HttpResponse:
    """A bank statement's transfers matched to open payments; the rest listed."""
    form = StatementForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = statement_import(
                town=current_town(),
                raw=form.cleaned_data["file"].read(),
                actor=request_actor(request),
            )
        except StatementRefused as error:
            form.add_error("file", _("Die Datei passt nicht: %(error)s") % {"error": error})
    return render(
        request,
        "payments/staff/statement.html",
        {"form": form, "result": result},
        status=400 if form.errors else 200,
    )


@admin
@require_safe
def providers_overview(request: HttpRequest) -> HttpResponse:
    configs = {config.provider: config for config in ProviderConfig.objects.all()}
    rows = [{"provider": p, "config": configs.get(p.key)} for p in providers]
    return render(request, "payments/staff/providers.html", {"rows": rows})


def _provider_form(key: str, data: object = None) -> forms.Form:
    """The provider's own settings with "offer it" on top; a stored secret is never shown."""
    provider = providers[key]
    config = ProviderConfig.objects.filter(provider=key).first()
    fields = {**EnabledForm.base_fields, **provider.options_form.base_fields}
    form_class = type("ProviderForm", (provider.options_form,), {})
    form_class.base_fields = fields  # type: ignore[attr-defined]
    initial = {"enabled": config.enabled, **config.options} if config else {}
    form = form_class(data, initial=initial)
    for name in provider.secret_fields:
        field = form.fields[name]
        field.widget = forms.PasswordInput(render_value=False)
        if config is not None and services.config_secrets(config).get(name):
            field.required = False
            field.help_text = _("Gespeichert. Leer lassen, um es zu behalten.")
    return form


@admin
@require_http_methods(["GET", "HEAD", "POST"])
def provider_edit(request: HttpRequest, key: str) -> HttpResponse:
    if key not in providers:
        raise Http404("No such payment provider")
    provider = providers[key]
    form = _provider_form(key, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        enabled = bool(data.pop("enabled", False))
        secrets = {name: str(data.pop(name, "") or "") for name in provider.secret_fields}
        services.provider_configure(
            town=current_town(),
            key=key,
            enabled=enabled,
            options=json.loads(json.dumps(data, default=str)),
            secrets=secrets,
            actor=request_actor(request),
        )
        messages.success(request, _("Der Zahlweg ist gespeichert."))
        return redirect("staff-payments:providers")
    return render(
        request,
        "payments/staff/provider.html",
        {"provider": provider, "form": form, "webhook": f"/payments/webhook/{key}/"},
        status=400 if form.errors else 200,
    )
