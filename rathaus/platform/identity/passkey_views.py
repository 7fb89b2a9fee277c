"""Passkey pages and the JSON steps of the WebAuthn ceremonies (driven by ``identity/passkeys.js``).

Each ceremony is two POSTs: ``…/options/`` returns the options for the browser
and keeps the challenge in the session; the second gets the browser's answer,
uses the challenge once and answers ``{"redirect": url}`` or ``{"error": text}``.
"""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from webauthn.helpers import bytes_to_base64url

from rathaus.platform.abuse.limits import rate_limit
from rathaus.platform.identity import limits, passkeys, selectors
from rathaus.platform.identity.forms import PasskeyNameForm
from rathaus.platform.identity.login import (
    MODEL_BACKEND,
    OTP_PENDING,
    safe_next_url,
    second_factor_user,
)
from rathaus.platform.identity.models import User
from rathaus.tenants.current import current_town

REGISTER_CHALLENGE = "identity_passkey_register"
LOGIN_CHALLENGE = "identity_passkey_login"


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # behind login_required, so never
        raise PermissionDenied
    return user


def _options(request: HttpRequest, key: str, ceremony: passkeys.Ceremony) -> HttpResponse:
    request.session[key] = bytes_to_base64url(ceremony.challenge)
    return HttpResponse(ceremony.options, content_type="application/json")


def _answer(request: HttpRequest) -> dict[str, Any]:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@login_required
def passkey_list(request: HttpRequest) -> HttpResponse:
    """The account's passkeys: add (JavaScript), rename and remove (plain forms)."""
    user = _user(request)
    if request.method == "POST" and "remove" in request.POST:
        if passkeys.passkey_remove(user=user, passkey_id=_int(request.POST["remove"])):
            messages.info(request, _("Der Passkey ist entfernt."))
        return redirect("accounts:passkeys")
    if request.method == "POST" and "rename" in request.POST:
        try:
            passkeys.passkey_rename(
                user=user,
                passkey_id=_int(request.POST["rename"]),
                name=request.POST.get("name", ""),
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Der Name ist gespeichert."))
        return redirect("accounts:passkeys")
    return render(
        request,
        "identity/passkeys.html",
        {
            "passkeys": selectors.account_passkeys(user=user),
            "name_form": PasskeyNameForm(auto_id="passkey-%s"),
            "name_max_length": passkeys.NAME_MAX_LENGTH,
        },
    )


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        return 0


@login_required
@require_POST
@rate_limit(limits.PASSKEY_SETUP)
def passkey_register_options(request: HttpRequest) -> HttpResponse:
    ceremony = passkeys.passkey_registration_start(town=current_town(), user=_user(request))
    return _options(request, REGISTER_CHALLENGE, ceremony)


@login_required
@require_POST
@rate_limit(limits.PASSKEY_SETUP)
def passkey_register(request: HttpRequest) -> HttpResponse:
    challenge = passkeys.challenge_from_session(request.session.pop(REGISTER_CHALLENGE, None))
    if challenge is None:
        return _error(_("Bitte starten Sie das Einrichten noch einmal."))
    answer = _answer(request)
    try:
        passkey = passkeys.passkey_register(
            town=current_town(),
            user=_user(request),
            credential=json.dumps(answer.get("credential")),
            challenge=challenge,
            name=str(answer.get("name", "")),
        )
    except ValidationError as exc:
        return _error(exc.messages[0])
    # Made with the device's fingerprint or PIN: it proves a second factor for this session.
    otp_login(request, passkey)
    messages.success(
        request, _("Der Passkey „%(name)s“ ist eingerichtet.") % {"name": passkey.name}
    )
    return JsonResponse({"redirect": reverse("accounts:passkeys")})


@require_POST
@rate_limit(limits.PASSKEY_LOGIN)
def passkey_login_options(request: HttpRequest) -> HttpResponse:
    # As the second factor, only the passkeys of the account that owes it are offered.
    user, _pending = second_factor_user(request)
    ceremony = passkeys.passkey_login_start(town=current_town(), user=user)
    return _options(request, LOGIN_CHALLENGE, ceremony)


@require_POST
@rate_limit(limits.PASSKEY_LOGIN)
def passkey_login(request: HttpRequest) -> HttpResponse:
    """Logs in with a passkey; it is also the second factor (django-otp's ``is_verified``)."""
    challenge = passkeys.challenge_from_session(request.session.pop(LOGIN_CHALLENGE, None))
    if challenge is None:
        return _error(_("Bitte starten Sie die Anmeldung noch einmal."))
    answer = _answer(request)
    try:
        passkey = passkeys.passkey_authenticate(
            town=current_town(),
            credential=json.dumps(answer.get("credential")),
            challenge=challenge,
        )
    except ValidationError as exc:
        return _error(exc.messages[0])
    expected, _pending = second_factor_user(request)
    if expected is not None and passkey.user_id != expected.pk:
        return _error(_("Dieser Passkey gehört zu einem anderen Konto."))
    request.session.pop(OTP_PENDING, None)
    if request.user != passkey.user:
        login(request, passkey.user, backend=MODEL_BACKEND)
    otp_login(request, passkey)
    next_url = safe_next_url(request, str(answer.get(REDIRECT_FIELD_NAME, "")))
    return JsonResponse({"redirect": next_url or reverse(settings.LOGIN_REDIRECT_URL)})
