"""State-account login, SP metadata and the town admin's settings page (thin views)."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from rathaus.platform.federation import oidc, saml, services
from rathaus.platform.federation.forms import (
    ProviderForm,
    SetupChoice,
    SetupChoiceForm,
    setup_choice,
)
from rathaus.platform.federation.models import IdentityProvider
from rathaus.platform.federation.registry import Check, FederationError, registry
from rathaus.platform.federation.selectors import provider_enabled
from rathaus.platform.federation.trust import session_trust_level_set
from rathaus.platform.forms import form_errors_apply
from rathaus.platform.identity.login import MODEL_BACKEND, safe_next_url
from rathaus.platform.identity.models import User
from rathaus.platform.staff.actors import request_actor
from rathaus.platform.staff.permissions import staff_required
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url


def _provider_or_404(protocol: str) -> IdentityProvider:
    # Only the current town's schema is searched: another town's settings do not exist here.
    provider = provider_enabled(protocol=protocol) if protocol in registry else None
    if provider is None:
        raise Http404("No state account of this kind for this town")
    return provider


def _refused(request: HttpRequest, error: FederationError) -> HttpResponse:
    return render(request, "identity/message.html", {"error": str(error)}, status=403)


@require_safe
def login_start(request: HttpRequest, protocol: str) -> HttpResponse:
    provider = _provider_or_404(protocol)
    primary = town_url(town=current_town(), path=request.get_full_path())
    if urlsplit(primary).netloc != request.get_host():
        # The provider answers on the primary host (one registered address per town);
        # the login's state must be in the session there, so it starts there.
        return redirect(primary)
    next_url = safe_next_url(request, request.GET.get("next", ""))
    try:
        return registry[protocol].start_login(request, provider, next_url=next_url)
    except FederationError as exc:
        return _refused(request, exc)


def _finish(request: HttpRequest, protocol: str) -> HttpResponse:
    provider = _provider_or_404(protocol)
    current = request.user if request.user.is_authenticated else None
    try:
        result = registry[protocol].complete_login(request, provider)
        user = services.federation_login_complete(
            provider=provider,
            login=result,
            current_user=current if isinstance(current, User) else None,
        )
    except FederationError as exc:
        return _refused(request, exc)
    if current is None:
        login(request, user, backend=MODEL_BACKEND)
    session_trust_level_set(request, result.trust_level)
    messages.success(request, _("Sie sind mit Ihrem Landeskonto angemeldet."))
    return redirect(result.next_url or "accounts:account")


@csrf_exempt  # the IdP's auto-submitted form cannot carry our token; the signature protects it
@require_POST
def saml_acs(request: HttpRequest) -> HttpResponse:
    return _finish(request, "saml")


@require_safe
def oidc_callback(request: HttpRequest) -> HttpResponse:
    return _finish(request, "oidc")


@require_safe
def saml_metadata(request: HttpRequest) -> HttpResponse:
    provider = IdentityProvider.objects.filter(protocol="saml").first()
    if provider is None or not provider.sp_private_key:
        raise Http404("This town has no SAML settings")
    xml = saml.sp_metadata_xml(town=current_town(), provider=provider)
    return HttpResponse(xml, content_type="application/samlmetadata+xml")


@login_required
@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    if services.federation_unlink(user=user, link_id=pk):
        messages.info(request, _("Die Verknüpfung mit dem Landeskonto ist gelöst."))
    return redirect("accounts:account")


@staff_required()
@require_safe
def settings_overview(request: HttpRequest) -> HttpResponse:
    """The town's state-account connections and the way to set one up."""
    providers = {p.protocol: p for p in IdentityProvider.objects.all()}
    return render(
        request,
        "federation/settings_overview.html",
        {
            "rows": [(plugin, providers.get(plugin.key)) for plugin in registry],
            "form": SetupChoiceForm(),
        },
    )


@staff_required()
def settings_setup(request: HttpRequest) -> HttpResponse:
    """Step 1 of the set-up: choose the provider (a preset, or another one by protocol)."""
    form = SetupChoiceForm(request.GET if "choice" in request.GET else None)
    if form.is_valid():
        return redirect("federation:settings-new", choice=form.cleaned_data["choice"])
    return render(request, "federation/settings_setup.html", {"form": form})


@staff_required()
def settings_new(request: HttpRequest, choice: str) -> HttpResponse:
    """Step 2: the chosen preset's values filled in, the few missing fields asked for."""
    chosen = setup_choice(choice)
    if chosen is None:
        raise Http404("No such preset")
    provider = IdentityProvider.objects.filter(protocol=chosen.protocol).first()
    if provider is None:
        provider = IdentityProvider(protocol=chosen.protocol, name=registry[chosen.protocol].title)
    if chosen.preset is not None:
        provider = services.preset_apply(preset=chosen.preset, provider=provider)
    return _provider_page(request, provider, chosen=chosen)


@staff_required()
def settings_edit(request: HttpRequest, protocol: str) -> HttpResponse:
    """A connection set up before: the same form, with what is stored."""
    if protocol not in registry:
        raise Http404("Unknown protocol")
    provider = IdentityProvider.objects.filter(protocol=protocol).first()
    if provider is None:
        provider = IdentityProvider(protocol=protocol, name=registry[protocol].title)
    return _provider_page(request, provider, chosen=None)


def _provider_page(
    request: HttpRequest, provider: IdentityProvider, *, chosen: SetupChoice | None
) -> HttpResponse:
    protocol = provider.protocol
    form = ProviderForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=provider,
        preset=chosen.preset if chosen else None,
    )
    checks: list[Check] = []
    if request.method == "POST" and form.is_valid():
        provider = form.save(commit=False)
        if "test" in request.POST:
            # Tried on the entered values, saved or not.
            checks = registry[protocol].check_connection(request, provider)
        else:
            try:
                services.provider_save(
                    provider=provider,
                    # The town's own host, not the one this request came on.
                    common_name=urlsplit(town_url(town=current_town())).hostname or "",
                    actor=request_actor(request),
                )
            except ValidationError as exc:
                form_errors_apply(form, exc)
            else:
                messages.success(
                    request,
                    _("Das Landeskonto (BundID / Servicekonto) ist gespeichert: %(name)s.")
                    % {"name": provider.name},
                )
                return redirect("federation:settings-edit", protocol=protocol)
    return render(
        request,
        "federation/settings_edit.html",
        {
            "form": form,
            "provider": provider,
            "protocol": protocol,
            "chosen": chosen,
            "checks": checks,
            "metadata_url": saml.sp_entity_id(town=current_town()),
            "redirect_uri": oidc.redirect_uri(town=current_town()),
        },
    )
