"""Billing in the back office: its page in the admin's menu, the dunning banner, and
``DunningMiddleware``, which holds the town's staff back while an invoice is overdue.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.billing.models import BillingAccount, DunningState
from rathaus.platform.staff.menu import StaffNotice, StaffPage
from rathaus.tenants.current import current_town_or_none

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def billing_staff_pages(request: HttpRequest) -> list[StaffPage]:
    from rathaus.platform.staff.selectors import is_town_admin

    if not is_town_admin(user=request.user):
        return []
    return [
        StaffPage(
            gettext_lazy("Abrechnung"),
            reverse("billing:invoices"),
            gettext_lazy("Vertrag, bezahlte Dienste und Rechnungen"),
            admin=True,
            order=47,
        )
    ]


def _state(town_id: int) -> str:
    state = BillingAccount.objects.filter(town_id=town_id).values_list("dunning_state", flat=True)
    return state.first() or DunningState.GOOD


def billing_staff_notices(request: HttpRequest) -> list[StaffNotice]:
    town = current_town_or_none()
    if town is None:
        return []
    state = getattr(request, "billing_state", None) or _state(town.pk)
    texts: dict[str, str] = {
        DunningState.PAST_DUE: _(
            "Eine Rechnung an Ihre Kommune ist überfällig. Nach Ablauf der Frist kann die "
            "Verwaltung nur noch lesen."
        ),
        DunningState.READ_ONLY: _(
            "Eine Rechnung ist weiter offen: die Verwaltung kann nur noch lesen, nichts ändern. "
            "Bürgerinnen und Bürger nutzen alle Dienste weiter."
        ),
        DunningState.SUSPENDED: _(
            "Eine Rechnung ist weiter offen: die Verwaltung ist bis auf die Abrechnung gesperrt. "
            "Bürgerinnen und Bürger nutzen alle Dienste weiter."
        ),
    }
    if state not in texts:
        return []
    return [
        StaffNotice(
            title=_("Zahlung überfällig"),
            text=texts[state],
            variant="danger" if state == DunningState.SUSPENDED else "warning",
            link_label=_("Zu den Rechnungen"),
            link_url=reverse("billing:invoices"),
        )
    ]


class DunningMiddleware:
    """On a town's back office (``/staff/``): read-only → no change is accepted (403 page);
    suspended → every page but billing's leads to billing's. Citizens' pages are never held."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        town = current_town_or_none()
        if town is None or not request.path.startswith("/staff/"):
            return self.get_response(request)
        state = _state(town.pk)
        request.billing_state = state  # type: ignore[attr-defined]
        billing_page = reverse("billing:invoices")
        held = (DunningState.READ_ONLY, DunningState.SUSPENDED)
        if state not in held or request.path.startswith(billing_page):
            return self.get_response(request)
        if request.path.startswith("/staff/support/"):
            return self.get_response(request)  # the vendor's support may still come in
        if state == DunningState.SUSPENDED and request.method in SAFE_METHODS:
            return redirect(billing_page)
        if request.method not in SAFE_METHODS:
            return render(
                request,
                "billing/staff/held.html",
                {"suspended": state == DunningState.SUSPENDED},
                status=403,
            )
        return self.get_response(request)
