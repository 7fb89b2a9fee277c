"""The town admin's page of the town's apps: register one, see its client_id, remove it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rathaus.platform.forms import form_errors_apply, posted
from rathaus.platform.oauth import selectors, services
from rathaus.platform.oauth.forms import AppRegisterForm
from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town


@staff_required()
def apps(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and request.POST.get("remove", "").isdigit():
        services.app_delete(
            town=current_town(),
            application_id=int(request.POST["remove"]),
            actor=request_actor(request),
        )
        messages.info(request, _("Die App ist entfernt; ihre Zugänge gelten nicht mehr."))
        return redirect("staff-apps:index")
    form = AppRegisterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            app = services.app_register(
                town=current_town(),
                name=form.cleaned_data["name"],
                redirect_uris=form.cleaned_data["redirect_uris"].splitlines(),
                actor=request_actor(request),
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(
                request,
                _("„%(name)s“ ist eingetragen; client_id: %(client_id)s")
                % {"name": app.name, "client_id": app.client_id},
            )
            return redirect("staff-apps:index")
    return render(request, "oauth/staff_apps.html", {"form": form, "apps": selectors.app_list()})
