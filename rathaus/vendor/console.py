"""The vendor console on the vendor's hosts: towns at a glance, onboarding, suspend/reactivate.

For vendor staff only (staff accounts of the public schema); everything it
changes goes through the same services as the command line and the API.
"""

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from rathaus.modules.registry import modules as module_registry
from rathaus.platform.audit.services import Actor
from rathaus.platform.staff.support import support_token_issue, support_url
from rathaus.tenants.current import current_town_or_none
from rathaus.tenants.models import Municipality
from rathaus.vendor.lifecycle import town_reactivate, town_suspend
from rathaus.vendor.onboarding import tenant_onboard
from rathaus.vendor.selectors import all_tenants_overview


def vendor_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Vendor staff on a vendor host; a town host never serves the console."""
    guarded = staff_member_required(view)

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if current_town_or_none() is not None:
            raise PermissionDenied
        return guarded(request, *args, **kwargs)

    return wrapper


class OnboardForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    ags = forms.CharField(
        label=gettext_lazy("Amtlicher Gemeindeschlüssel"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": r"\d{8}"}),
    )
    slug = forms.CharField(label=gettext_lazy("Kurzname"), max_length=63)
    admin_email = forms.EmailField(label=gettext_lazy("E-Mail der ersten Verwaltung"))
    modules = forms.MultipleChoiceField(
        label=gettext_lazy("Dienste"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["modules"])
        field.choices = [(m.key, m.title) for m in module_registry]
        field.initial = [m.key for m in module_registry if m.default_enabled]


@vendor_only
@require_http_methods(["GET", "POST"])
def console_home(request: HttpRequest) -> HttpResponse:
    form = OnboardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = tenant_onboard(
                ags=data["ags"],
                name=data["name"],
                slug=data["slug"],
                admin_email=data["admin_email"],
                modules=data["modules"],
                actor=Actor.vendor(request.user),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            if result.created:
                messages.success(
                    request,
                    _("%(town)s ist eingerichtet; die Einladung ist unterwegs.")
                    % {"town": result.town.name},
                )
            else:
                messages.info(request, _("%(town)s gab es schon.") % {"town": result.town.name})
            return redirect("console:home")
    return render(
        request,
        "vendor/console/home.html",
        {"overview": all_tenants_overview(), "form": form},
    )


@vendor_only
@require_POST
def console_status(request: HttpRequest, ags: str) -> HttpResponse:
    town = get_object_or_404(Municipality, ags=ags)
    actor = Actor.vendor(request.user)
    if request.POST.get("status") == Municipality.Status.SUSPENDED:
        town_suspend(town=town, actor=actor)
        messages.success(request, _("%(town)s ist gesperrt.") % {"town": town.name})
    else:
        town_reactivate(town=town, actor=actor)
        messages.success(request, _("%(town)s ist wieder aktiv.") % {"town": town.name})
    return redirect("console:home")


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
