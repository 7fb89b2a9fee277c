"""The town admin's billing page in the back office: plan, paid modules, invoices."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from rathaus.billing.models import Invoice
from rathaus.billing.selectors import town_billing
from rathaus.billing.xrechnung import invoice_xrechnung
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town


@staff_required()  # town admins only
@require_safe
def billing_invoices(request: HttpRequest) -> HttpResponse:
    return render(
        request, "billing/staff/invoices.html", {"billing": town_billing(town=current_town())}
    )


@staff_required()  # town admins only
@require_safe
def billing_invoice_xrechnung(request: HttpRequest, stripe_id: str) -> HttpResponse:
    """The invoice as an XRechnung file; only the current town's invoices are found."""
    invoice = get_object_or_404(
        Invoice.objects.select_related("account__town"),
        stripe_id=stripe_id,
        account__town=current_town(),
    )
    try:
        xml = invoice_xrechnung(invoice=invoice)
    except ValidationError as error:
        return render(
            request, "billing/staff/no_xrechnung.html", {"errors": error.messages}, status=409
        )
    answer = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    answer["Content-Disposition"] = (
        f'attachment; filename="{invoice.number or invoice.stripe_id}.xml"'
    )
    return answer
