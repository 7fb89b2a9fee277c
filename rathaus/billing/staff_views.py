"""The town admin's billing page in the back office: plan, paid modules, invoices."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rathaus.billing.selectors import town_billing
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town


@staff_required()  # town admins only
@require_safe
def billing_invoices(request: HttpRequest) -> HttpResponse:
    return render(
        request, "billing/staff/invoices.html", {"billing": town_billing(town=current_town())}
    )
