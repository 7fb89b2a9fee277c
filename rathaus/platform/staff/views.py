"""The town admin's back office. Thin: forms collect, services change, selectors read."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from rathaus.platform.audit.selectors import audit_entries
from rathaus.platform.audit.wording import audit_lines
from rathaus.platform.branding.checklist import branding_checklist, branding_missing
from rathaus.platform.branding.selectors import current_branding, stored_branding
from rathaus.platform.branding.services import FIELDS as BRANDING_FIELDS
from rathaus.platform.branding.services import branding_update
from rathaus.platform.forms import form_errors_apply, posted
from rathaus.platform.identity.login import MODEL_BACKEND
from rathaus.platform.identity.models import User
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import kinds
from rathaus.platform.messaging.selectors import message_counts_since, messages_in_doubt
from rathaus.platform.staff.actors import SUPPORT_SESSION_KEY, request_actor
from rathaus.platform.staff.forms import (
    AuditFilterForm,
    BrandingForm,
    StaffAddForm,
    StaffPolicyForm,
    StaffRolesForm,
)
from rathaus.platform.staff.invitations import staff_invitation_last, staff_invitation_resend
from rathaus.platform.staff.permissions import (
    needs_second_factor,
    second_factor_redirect,
    staff_required,
)
from rathaus.platform.staff.roles import role_label
from rathaus.platform.staff.selectors import (
    is_town_admin,
    roles_of,
    second_factor_required,
    staff_members,
)
from rathaus.platform.staff.services import staff_add, staff_policy_set, staff_set_roles
from rathaus.platform.staff.support import support_session_seconds, support_token_redeem
from rathaus.tenants.current import current_town


def dashboard(request: HttpRequest) -> HttpResponse:
    """Every staff member's start page: their module pages, and the admin's tools."""
    if not request.user.is_authenticated:
        return auth_views.redirect_to_login(request.get_full_path())
    if not roles_of(user=request.user):
        raise Http404
    if needs_second_factor(request):
        return second_factor_redirect(request)
    # Only a town admin can fix the town's identity, so only they are reminded of it.
    missing = (
        branding_missing(branding=current_branding()) if is_town_admin(user=request.user) else []
    )
    return render(request, "staff/dashboard.html", {"identity_missing": missing})


@staff_required()
def branding(request: HttpRequest) -> HttpResponse:
    current = stored_branding()
    form = BrandingForm(
        posted(request), request.FILES if request.method == "POST" else None, instance=current
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data[name] for name in BRANDING_FIELDS}
        for image in ("logo", "coat_of_arms"):
            # An untouched file input keeps the stored image; "clear" empties it.
            if image not in form.changed_data:
                changes.pop(image)
            elif changes[image] is False:
                changes[image] = ""
        try:
            branding_update(town=current_town(), actor=request_actor(request), **changes)
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("Das Erscheinungsbild wurde gespeichert."))
            return redirect("staff:branding")
    # The checklist and the preview show what is stored, not what a refused form holds.
    saved = stored_branding()
    return render(
        request,
        "staff/branding.html",
        {
            "form": form,
            "checklist": branding_checklist(branding=saved),
            "checklist_missing": branding_missing(branding=saved),
            "preview": saved,
        },
    )


@staff_required()
def team(request: HttpRequest) -> HttpResponse:
    policy = StaffPolicyForm(
        posted(request), initial={"second_factor_required": second_factor_required()}
    )
    if request.method == "POST" and policy.is_valid():
        required = policy.cleaned_data["second_factor_required"]
        if staff_policy_set(
            town=current_town(), second_factor_required=required, actor=request_actor(request)
        ):
            messages.success(
                request,
                _("Das Team bestätigt die Anmeldung jetzt mit einem zweiten Faktor.")
                if required
                else _("Das Team braucht keinen zweiten Faktor mehr."),
            )
        return redirect("staff:team")
    members = [
        (member, sorted(role_label(role.role) for role in member.staff_roles.all()))
        for member in staff_members()
    ]
    return render(request, "staff/team.html", {"members": members, "policy": policy})


@staff_required()
def team_add(request: HttpRequest) -> HttpResponse:
    form = StaffAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff_add(
                town=current_town(),
                email=data["email"],
                roles=data["roles"],
                actor=request_actor(request),
                first_name=data["first_name"],
                last_name=data["last_name"],
            )
        except ValidationError as error:
            form_errors_apply(form, error)
        else:
            messages.success(request, _("%(email)s gehört jetzt zum Team.") % data)
            return redirect("staff:team")
    return render(request, "staff/team_add.html", {"form": form})


@staff_required()
def team_member(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_object_or_404(User, pk=pk, is_staff=True)
    form = StaffRolesForm(posted(request), initial={"roles": sorted(roles_of(user=member))})
    if request.method == "POST" and form.is_valid():
        roles = form.cleaned_data["roles"]
        if member == request.user and "town_admin" not in roles:
            form.add_error("roles", _("Sie können sich nicht selbst die Verwaltung entziehen."))
        else:
            try:
                staff_set_roles(
                    town=current_town(), user=member, roles=roles, actor=request_actor(request)
                )
            except ValidationError as error:
                form_errors_apply(form, error)
            else:
                messages.success(request, _("Die Rollen wurden gespeichert."))
                return redirect("staff:team")
    context = {
        "member": member,
        "form": form,
        # Only someone who has not set a password yet can be invited (again).
        "invitable": member.is_active and not member.has_usable_password(),
        "invitation": staff_invitation_last(user=member),
    }
    return render(request, "staff/team_member.html", context)


@staff_required()
@require_POST
def team_member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Einladung erneut senden": a new invitation with a new link, audited."""
    member = get_object_or_404(User, pk=pk, is_staff=True)
    try:
        staff_invitation_resend(town=current_town(), user=member, actor=request_actor(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Die Einladung wurde erneut gesendet."))
    return redirect("staff:team-member", pk=member.pk)


@staff_required()
def messages_overview(request: HttpRequest) -> HttpResponse:
    """The town's messages of the last 30 days by state, and those that may not have
    reached people (unconfirmed: may have gone out; failed), to follow up by hand."""
    since = timezone.now() - dt.timedelta(days=30)
    counts = message_counts_since(since=since)
    rows = [
        (row, kind.label if (kind := kinds.get(row.kind)) else row.kind)
        for row in messages_in_doubt()
    ]
    states = [(label, counts[value]) for value, label in OutboxMessage.State.choices]
    return render(request, "staff/messages.html", {"states": states, "rows": rows})


@staff_required()
def audit_log(request: HttpRequest) -> HttpResponse:
    """The town's audit log in plain language, filtered and 50 entries a page."""
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(**{k: v for k, v in filters.items() if v})
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "staff/audit.html",
        {
            "form": form,
            "page": page,
            "lines": audit_lines(page.object_list),
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
        },
    )


def support_enter(request: HttpRequest, token: str) -> HttpResponse:
    """Redeems a vendor's support token on the town's host and opens an audited session."""
    user, payload = support_token_redeem(town=current_town(), token=token)
    login(request, user, backend=MODEL_BACKEND)
    request.session[SUPPORT_SESSION_KEY] = payload["by"]
    request.session.set_expiry(support_session_seconds())
    return redirect("staff:dashboard")
