"""Account pages: thin views that call the services and selectors."""

import base64
import json
from io import BytesIO
from typing import Any
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_otp import login as otp_login
from django_otp import match_token

from rathaus.platform.abuse.limits import rate_limit
from rathaus.platform.federation.selectors import federation_links_for, federation_login_options
from rathaus.platform.identity import limits, selectors, services
from rathaus.platform.identity.account_sections import account_links
from rathaus.platform.identity.forms import (
    AccountPasswordChangeForm,
    AccountPasswordResetForm,
    CodeForm,
    DeleteAccountForm,
    LoginForm,
    MemberForm,
    PhoneForm,
    ProfileForm,
    RegistrationForm,
)
from rathaus.platform.identity.login import (
    MODEL_BACKEND,
    OTP_PENDING,
    safe_next_url,
    second_factor_user,
)
from rathaus.platform.identity.models import AccountKind, User
from rathaus.platform.identity.tokens import password_token_generator
from rathaus.platform.staff.selectors import roles_of, second_factor_required


def _user(request: HttpRequest) -> User:
    # Only called behind login_required, so this is the town's account.
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _form_page(
    request: HttpRequest, *, form: Any, title: str, submit: str, intro: str = ""
) -> HttpResponse:
    return render(
        request,
        "identity/form.html",
        {"form": form, "title": title, "submit": submit, "intro": intro},
    )


@method_decorator(rate_limit(limits.LOGIN), name="post")
class AccountLoginView(auth_views.LoginView):
    """E-mail and password; accounts with a TOTP device then give a code.

    django-axes counts failures per e-mail address in the town's schema and
    locks the address after ``AXES_FAILURE_LIMIT`` failures.
    """

    template_name = "identity/login.html"
    authentication_form = LoginForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["federation_options"] = federation_login_options()
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if _owes_second_factor(user):
            self.request.session[OTP_PENDING] = user.pk
            target = reverse("accounts:login-otp")
            next_url = self.get_redirect_url()
            if next_url:
                target += f"?{REDIRECT_FIELD_NAME}={quote(next_url)}"
            return HttpResponseRedirect(target)
        return super().form_valid(form)


def _owes_second_factor(user: User) -> bool:
    """After the password: an authenticator app's code, or, for staff of a town that
    requires a second factor, a passkey (a citizen's passkey is a way in of its own)."""
    if selectors.account_has_totp(user=user):
        return True
    return (
        selectors.account_passkeys(user=user).exists()
        and bool(roles_of(user=user))
        and second_factor_required()
    )


@rate_limit(limits.LOGIN_CODE)
def login_otp(request: HttpRequest) -> HttpResponse:
    """The second factor: a code from the authenticator app or one of the account's passkeys.

    After the password (the account is logged in only once the factor is
    proven), or for a logged-in person whose session still needs one; a person
    with neither is told how to set one up.
    """
    user, pending = second_factor_user(request)
    next_url = safe_next_url(request, request.GET.get(REDIRECT_FIELD_NAME, ""))
    if user is None:
        if request.user.is_authenticated:  # verified already
            return redirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))
        return redirect("accounts:login")
    has_totp = selectors.account_has_totp(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and has_totp and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            request.session.pop(OTP_PENDING, None)
            if pending:
                login(request, user, backend=MODEL_BACKEND)
            otp_login(request, device)
            return redirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))
        form.add_error("code", _("Der Code stimmt nicht."))
    return render(
        request,
        "identity/second_factor.html",
        {
            "form": form,
            "has_totp": has_totp,
            "has_passkey": selectors.account_passkeys(user=user).exists(),
            "pending": pending,
            "next": next_url,
        },
    )


@rate_limit(limits.REGISTER)
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:account")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.account_register(
                email=data["email"],
                password=data["password1"],
                phone=str(data["phone"] or ""),
                kind=data["kind"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                organisation_name=data["organisation_name"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, user, backend=MODEL_BACKEND)
            if user.phone:
                sent = _(
                    "Ihr Konto ist angelegt. Wir haben Ihnen eine E-Mail und eine SMS geschickt."
                )
                messages.info(request, sent)
                return redirect("accounts:confirm-phone")
            messages.info(
                request,
                _(
                    "Ihr Konto ist angelegt. Bitte bestätigen Sie Ihre E-Mail-Adresse mit dem "
                    "Link, den wir Ihnen geschickt haben."
                ),
            )
            return redirect("accounts:account")
    return render(request, "identity/register.html", {"form": form})


@require_safe
def confirm_email(request: HttpRequest) -> HttpResponse:
    try:
        services.account_confirm_email(token=request.GET.get("token", ""))
    except ValidationError as exc:
        return render(request, "identity/message.html", {"error": exc.messages[0]}, status=400)
    messages.success(request, _("Ihre E-Mail-Adresse ist bestätigt."))
    return redirect("accounts:account" if request.user.is_authenticated else "accounts:login")


@login_required
@rate_limit(limits.PHONE_CHANGE)
def phone(request: HttpRequest) -> HttpResponse:
    """Add, change or remove the mobile number; a new one is confirmed by code."""
    user = _user(request)
    if request.method == "POST" and "remove" in request.POST:
        services.account_phone_change(user=user, phone="")
        messages.info(request, _("Ihre Mobilnummer ist entfernt."))
        return redirect("accounts:account")
    form = PhoneForm(request.POST or None, initial={"phone": user.phone or None})
    if request.method == "POST" and form.is_valid():
        number = str(form.cleaned_data["phone"])
        if number == str(user.phone or "") and user.phone_verified_at:
            return redirect("accounts:account")
        if number == str(user.phone or ""):
            return redirect("accounts:confirm-phone")
        try:
            services.account_phone_change(user=user, phone=number)
        except ValidationError as exc:
            form.add_error("phone", exc)
        else:
            return redirect("accounts:confirm-phone")
    return render(request, "identity/phone.html", {"form": form})


@login_required
@rate_limit(limits.PHONE_CONFIRM)
def confirm_phone(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.phone:
        return redirect("accounts:phone")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.account_confirm_phone(user=user, code=form.cleaned_data["code"]):
            messages.success(request, _("Ihre Mobilnummer ist bestätigt."))
            return redirect("accounts:account")
        form.add_error("code", _("Der Code stimmt nicht oder ist abgelaufen."))
    return render(request, "identity/confirm_phone.html", {"form": form})


@login_required
@require_POST
def resend_phone_code(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if services.new_phone_code_allowed(user=user):
        try:
            services.phone_challenge_start(user=user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.info(request, _("Wir haben Ihnen einen neuen Code geschickt."))
    else:
        messages.error(
            request, _("Bitte warten Sie eine Minute, bevor Sie einen neuen Code anfordern.")
        )
    return redirect("accounts:confirm-phone")


@login_required
def account(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if request.method == "POST" and form.is_valid():
        services.account_update_profile(
            user=user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
        )
        messages.success(request, _("Ihre Angaben sind gespeichert."))
        return redirect("accounts:account")
    is_organisation = user.kind != AccountKind.PERSON
    return render(
        request,
        "identity/account.html",
        {
            "form": form,
            "has_totp": selectors.account_has_totp(user=user),
            "passkey_count": selectors.account_passkeys(user=user).count(),
            "links": federation_links_for(user=user),
            "federation_options": federation_login_options(),
            "is_organisation": is_organisation,
            "members": selectors.account_members(organisation=user) if is_organisation else [],
            "member_of": selectors.account_organisations(member=user),
            "sections": account_links(user=user),
        },
    )


@login_required
def members(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user.kind == AccountKind.PERSON:
        return redirect("accounts:account")
    form = MemberForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        services.membership_remove(organisation=user, membership_id=int(request.POST["remove"]))
        return redirect("accounts:members")
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(
                organisation=user,
                member_email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("accounts:members")
    return render(
        request,
        "identity/members.html",
        {"form": form, "members": selectors.account_members(organisation=user)},
    )


@login_required
@rate_limit(limits.TOTP_SETUP)
def totp_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and "disable" in request.POST:
        services.totp_disable(user=user)
        messages.info(request, _("Der zweite Faktor ist ausgeschaltet."))
        return redirect("accounts:account")
    if request.method == "POST" and form.is_valid():
        device = services.totp_device_confirm(user=user, token=form.cleaned_data["code"])
        if device is not None:
            # The right code is proof enough for this session, too.
            otp_login(request, device)
            messages.success(request, _("Der zweite Faktor ist eingerichtet."))
            return redirect("accounts:account")
        form.add_error("code", _("Der Code stimmt nicht."))
        device = user.totpdevice_set.filter(confirmed=False).first()  # type: ignore[attr-defined]
    else:
        device = services.totp_device_start(user=user)
    if device is None:
        return redirect("accounts:totp")
    secret = base64.b32encode(device.bin_key).decode()
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = BytesIO()
    image.save(buffer)
    return render(
        request,
        "identity/totp.html",
        {"form": form, "secret": secret, "qr_svg": buffer.getvalue().decode()},
    )


@login_required
@require_safe
def export(request: HttpRequest) -> HttpResponse:
    data = selectors.account_data_export(user=_user(request))
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user.has_usable_password() and not user.check_password(form.cleaned_data["password"]):
            form.add_error("password", _("Das Passwort stimmt nicht."))
        else:
            logout(request)
            services.account_delete(user=user)
            return render(
                request, "identity/message.html", {"message": _("Ihr Konto ist gelöscht.")}
            )
    return _form_page(
        request,
        form=form,
        title=_("Konto löschen"),
        submit=_("Endgültig löschen"),
        intro=_("Alle Daten, die diese Kommune über Sie gespeichert hat, werden gelöscht."),
    )


@method_decorator(rate_limit(limits.PASSWORD_RESET), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = AccountPasswordResetForm
    token_generator = password_token_generator
    template_name = "identity/form.html"
    email_template_name = "identity/password_reset_email.txt"
    subject_template_name = "identity/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-done")
    extra_context = {
        "title": gettext_lazy("Passwort vergessen"),
        "submit": gettext_lazy("Link anfordern"),
        "intro": gettext_lazy(
            "Wir schicken Ihnen einen Link, mit dem Sie ein neues Passwort setzen."
        ),
    }

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        # Through the outbox: sent once, from the town, with the link made on the town's
        # primary host at send time (never from this request's host).
        services.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


@method_decorator(rate_limit(limits.PASSWORD_CHANGE), name="post")
class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password for the logged-in account; the session stays logged in.

    Rate-limited per account: django-axes counts only logins, and this form
    checks the current password on every try.
    """

    form_class = AccountPasswordChangeForm
    template_name = "identity/form.html"
    success_url = reverse_lazy("accounts:account")
    extra_context = {
        "title": gettext_lazy("Passwort ändern"),
        "submit": gettext_lazy("Passwort speichern"),
        "back": reverse_lazy("accounts:account"),
    }

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Ihr neues Passwort ist gespeichert."))
        return response
