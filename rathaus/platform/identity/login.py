"""What every login path shares: the backend it records and where it may send the browser next."""

from typing import Any

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

from rathaus.platform.identity.models import User, email_key

# The account whose password was right and which still owes its second factor.
OTP_PENDING = "identity_otp_pending"

# For logins whose credentials were checked already (second factor, state account,
# support token, registration): the session remembers this backend, not axes'.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def safe_next_url(request: HttpRequest, url: str) -> str:
    """``url`` if it stays on this request's host (and scheme), else ``""``.

    A ``next`` parameter comes from the address bar; without this check a
    link could send a fresh login on to a look-alike site.
    """
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The address failed logins are counted under (``AXES_USERNAME_CALLABLE``): in any
    letter case the same account, so "ERIKA@…" does not get five more guesses."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return email_key(str(value))


def second_factor_user(request: HttpRequest) -> tuple[User | None, bool]:
    """Who is to prove a second factor now, and whether they are still logged out.

    Either the account whose password was just right (pending, not logged in
    yet), or a logged-in person whose session is not verified (a town that
    requires a second factor of its staff sends them here). ``(None, False)``
    if there is no one.
    """
    pending = request.session.get(OTP_PENDING)
    if pending:
        user = User.objects.filter(pk=pending, is_active=True).first()
        if user is not None:
            return user, True
    current = request.user
    if isinstance(current, User) and not current.is_verified():  # type: ignore[attr-defined]
        return current, False
    return None, False
