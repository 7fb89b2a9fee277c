"""The town admin's pages about the services: switch them on and off, set them up.

Mounted at ``/staff/modules/`` (namespace ``staff-modules``). Thin: the
services change, the selectors read.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from rathaus.modules.forms import ModuleSettingsForm
from rathaus.modules.registry import modules
from rathaus.modules.selectors import (
    module_activation,
    module_overview,
    module_switch_off_consequences,
)
from rathaus.modules.services import module_configure, module_enable, module_trust_level_set
from rathaus.platform.federation.models import TrustLevel
from rathaus.platform.forms import form_errors_apply, posted
from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town


@staff_required()
def module_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "modules/staff/index.html",
        {"overview": module_overview(town=current_town()), "trust_levels": TrustLevel.choices},
    )


@staff_required()
@require_POST
def module_switch(request: HttpRequest, key: str) -> HttpResponse:
    """Switches a service on at once; off only from its confirmation page."""
    if key not in modules:
        raise Http404
    enabled = request.POST.get("enabled") == "on"
    if not enabled and request.POST.get("confirmed") != "1":
        return redirect("staff-modules:switch-off", key=key)
    try:
        module_enable(town=current_town(), key=key, enabled=enabled, actor=request_actor(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = _("%(title)s ist eingeschaltet.") if enabled else _("%(title)s ist ausgeschaltet.")
        messages.success(request, text % {"title": modules[key].title})
    return redirect("staff-modules:index")


@staff_required()
@require_safe
def module_switch_off(request: HttpRequest, key: str) -> HttpResponse:
    """Asks before a service is switched off and says what happens (the module's own words)."""
    if key not in modules:
        raise Http404
    town = current_town()
    row = module_activation(town=town, key=key)
    if not row.enabled:
        messages.info(
            request, _("%(title)s ist bereits ausgeschaltet.") % {"title": modules[key].title}
        )
        return redirect("staff-modules:index")
    return render(
        request,
        "modules/staff/switch_off.html",
        {
            "module": modules[key],
            "consequences": module_switch_off_consequences(town=town, key=key),
        },
    )


@staff_required()
@require_POST
def module_trust(request: HttpRequest, key: str) -> HttpResponse:
    if key not in modules:
        raise Http404
    try:
        module_trust_level_set(
            town=current_town(),
            key=key,
            level=request.POST.get("required_trust_level", ""),
            actor=request_actor(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Das Vertrauensniveau wurde gespeichert."))
    return redirect("staff-modules:index")


@staff_required()
def module_settings(request: HttpRequest, key: str) -> HttpResponse:
    """The settings form of module ``key``, derived from its settings serializer."""
    if key not in modules or modules[key].settings_serializer is None:
        raise Http404
    module = modules[key]
    town = current_town()
    row = module_activation(town=town, key=key)
    form = ModuleSettingsForm(posted(request), module_key=key, initial=row.settings)
    if request.method == "POST" and form.is_valid():
        try:
            module_configure(
                town=town, key=key, settings=form.settings(), actor=request_actor(request)
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Die Einstellungen wurden gespeichert."))
            return redirect("staff-modules:index")
    return render(request, "modules/staff/settings.html", {"module": module, "form": form})
