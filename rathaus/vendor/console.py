"""The vendor console on the vendor's hosts: find towns, look at one, onboard, suspend.

For vendor staff only (staff accounts of the public schema); everything it
changes goes through the same services as the command line and the API.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from rathaus.billing.selectors import all_tenants_billing_summary
from rathaus.modules.registry import modules as module_registry
from rathaus.modules.services import module_allow
from rathaus.platform.abuse.limits import rate_limit
from rathaus.platform.audit.services import Actor
from rathaus.platform.forms import form_errors_apply, posted
from rathaus.platform.staff.support import support_token_issue, support_url
from rathaus.tenants.current import current_town_or_none
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url
from rathaus.vendor import limits
from rathaus.vendor.forms import ConsoleLoginForm, OnboardForm, TownFilterForm
from rathaus.vendor.lifecycle import town_reactivate, town_suspend
from rathaus.vendor.onboarding import onboarding_errors, tenant_onboard
from rathaus.vendor.selectors import all_tenants_page, all_tenants_town_detail


def vendor_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Vendor staff on a vendor host; a town host never serves the console (404)."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if current_town_or_none() is not None:
            raise PermissionDenied
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("console:login"))
        return view(request, *args, **kwargs)

    return wrapper


@method_decorator(rate_limit(limits.CONSOLE_LOGIN), name="post")
class ConsoleLoginView(auth_views.LoginView):
    """The vendor's login to the console (e-mail and password of a vendor staff account)."""

    template_name = "vendor/console/login.html"
    authentication_form = ConsoleLoginForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if current_town_or_none() is not None:
            raise PermissionDenied
        user = request.user
        if request.method == "GET" and user.is_authenticated and user.is_staff:
            # Logged in already: on to the console. Not for other accounts, which the
            # console sends here and which would otherwise go round in circles.
            return redirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return reverse("console:home")


@require_POST
def console_logout(request: HttpRequest) -> HttpResponse:
    if current_town_or_none() is not None:
        raise PermissionDenied
    logout(request)
    messages.success(request, _("Sie sind abgemeldet."))
    return redirect("console:login")


@vendor_only
@require_safe
def console_home(request: HttpRequest) -> HttpResponse:
    """Every town, found by words, status, Land and active module; 25 to a page."""
    form = TownFilterForm(request.GET)
    filters = form.filters()
    result = all_tenants_page(filters=filters, page=request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vendor/console/home.html",
        {
            "form": form,
            "filters": filters,
            "page": result.page,
            "rows": result.rows,
            "query": query.urlencode(),
        },
    )


@vendor_only
@require_safe
def console_town(request: HttpRequest, ags: str) -> HttpResponse:
    town = get_object_or_404(Municipality.objects.prefetch_related("domains"), ags=ags)
    context = {
        "municipality": town,
        "detail": all_tenants_town_detail(town=town),
        "portal_url": town_url(town=town, path="/"),
    }
    return render(request, "vendor/console/town.html", context)


@vendor_only
@require_http_methods(["GET", "POST"])
def console_onboard(request: HttpRequest) -> HttpResponse:
    """A new town on a page of its own; errors next to each field and in the summary."""
    form = OnboardForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid():
        _add_onboarding_errors(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = tenant_onboard(
                ags=data["ags"],
                name=data["name"],
                slug=data["slug"],
                admin_email=data["admin_email"],
                modules=data["modules"],
                identity=form.identity(),
                actor=Actor.vendor(request.user),
            )
        except ValidationError as error:
            form_errors_apply(form, ValidationError(_without_host_echo(error.message_dict)))
        else:
            if result.created:
                messages.success(
                    request,
                    _("%(town)s ist eingerichtet; die Einladung ist unterwegs.")
                    % {"town": result.town.name},
                )
            else:
                messages.info(
                    request,
                    _("%(town)s gab es schon; nichts wurde geändert.") % {"town": result.town.name},
                )
            return redirect("console:town", ags=result.town.ags)
    if request.method == "POST" and form.errors:
        _ask_for_the_arms_again(form, chosen=bool(request.FILES.get("coat_of_arms")))
    return render(request, "vendor/console/onboard.html", {"form": form})


def _ask_for_the_arms_again(form: OnboardForm, *, chosen: bool) -> None:
    # A browser never fills a file input in again: a coat of arms chosen before the
    # errors is gone from the page and would silently be left out on the next try.
    if chosen and "coat_of_arms" not in form.errors:
        form.add_error(
            "coat_of_arms",
            _(
                "Bitte das Wappen noch einmal auswählen; nach einem Fehler muss die Datei "
                "neu gewählt werden."
            ),
        )


def _without_host_echo(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    # A bad short name makes a bad host name too; the form has no host field, and the
    # short name's own message says what to fix.
    if "slug" in errors:
        return {field: messages for field, messages in errors.items() if field != "domains"}
    return errors


def _add_onboarding_errors(form: OnboardForm) -> None:
    """Adds what the onboarding service would refuse (slug taken, AGS not a Land's, ...) to
    a form that has errors already, so one round shows every error, not one batch at a time.
    """

    def raw(name: str) -> str:
        return str(form.data.get(name, "")).strip()

    errors = onboarding_errors(
        ags=raw("ags"),
        name=raw("name"),
        slug=raw("slug"),
        admin_email=form.cleaned_data.get("admin_email", ""),
    )
    for field, found in _without_host_echo(errors).items():
        if field == "admin_email" or field in form.errors:
            continue  # the form's own message about the field says it already
        form.add_error(field if field in form.fields else None, found)


@vendor_only
@require_http_methods(["GET", "POST"])
def console_status(request: HttpRequest, ags: str, change: str) -> HttpResponse:
    """Suspends (``change="suspend"``) or reactivates a town; GET shows a page that says
    what that means and asks to confirm."""
    town = get_object_or_404(Municipality, ags=ags)
    if request.method == "GET":
        return render(
            request, "vendor/console/status_confirm.html", {"municipality": town, "change": change}
        )
    actor = Actor.vendor(request.user)
    if change == "suspend":
        town_suspend(town=town, actor=actor)
        messages.success(request, _("%(town)s ist gesperrt.") % {"town": town.name})
    else:
        town_reactivate(town=town, actor=actor)
        messages.success(request, _("%(town)s ist wieder aktiv.") % {"town": town.name})
    return redirect("console:town", ags=town.ags)


@vendor_only
@require_POST
def console_support(request: HttpRequest, ags: str) -> HttpResponse:
    """Opens an audited support session in the town's back office (no town password needed)."""
    town = get_object_or_404(Municipality, ags=ags, status=Municipality.Status.ACTIVE)
    token = support_token_issue(
        town=town,
        vendor_email=str(getattr(request.user, "email", "")),
        reason=_("Support über die Betreiberkonsole"),
    )
    return redirect(support_url(town=town, token=token))


@vendor_only
@require_POST
def console_module_gate(request: HttpRequest, ags: str, key: str) -> HttpResponse:
    """Allows (``allowed=1``) or withdraws a module for a town; billing follows the gate."""
    town = get_object_or_404(Municipality, ags=ags)
    if key not in module_registry:
        raise Http404
    allowed = request.POST.get("allowed") == "1"
    module_allow(town=town, key=key, allowed=allowed, actor=Actor.vendor(request.user))
    title = module_registry[key].title
    if allowed:
        message = _("%(module)s ist für %(town)s freigegeben; ab jetzt anteilig abgerechnet.")
    else:
        message = _(
            "%(module)s ist für %(town)s nicht mehr freigegeben; ab dem nächsten Zeitraum "
            "nicht mehr abgerechnet."
        )
    messages.success(request, message % {"module": title, "town": town.name})
    return redirect("console:town", ags=town.ags)


@vendor_only
@require_safe
def console_billing(request: HttpRequest) -> HttpResponse:
    """Monthly recurring revenue, the towns in dunning and the towns whose subscription ended."""
    return render(
        request, "vendor/console/billing.html", {"summary": all_tenants_billing_summary()}
    )
