"""Audited support access: vendor staff enter a town's back office without the town's passwords.

The vendor console issues a signed token that names the town and the vendor's
person and lives two minutes; the town's host redeems it once, logs the
browser in as the town's support account and marks the session, so every
action in it is audited as that person (``staff.actors.request_actor``).
"""

import secrets
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.db import transaction

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import RESERVED_EMAIL_DOMAIN, User
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_set_roles
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url
from rathaus.tenants.signing import BadToken, town_dumps, town_loads

TOKEN_SALT = "rathaus.support"  # noqa: S105  (a signing namespace, not a secret)
TOKEN_MAX_AGE_SECONDS = 120
SESSION_SECONDS = 60 * 60


def support_token_issue(*, town: Municipality, vendor_email: str, reason: str) -> str:
    """A one-time token for ``town``'s host; only the vendor console calls this."""
    payload = {"by": vendor_email, "reason": reason, "nonce": secrets.token_hex(8)}
    return town_dumps(payload, salt=TOKEN_SALT, town=town)


def support_token_redeem(*, town: Municipality, token: str) -> tuple[User, dict[str, Any]]:
    """Checks a token on ``town``'s host and returns the support account to log in.

    Refuses a token that is forged, older than two minutes, used before, or
    issued for another town.
    """
    try:
        payload = town_loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE_SECONDS, town=town)
    except BadToken as error:
        raise PermissionDenied("invalid, expired or foreign support token") from error
    if not caches["platform"].add(f"support-token:{payload['nonce']}", 1, TOKEN_MAX_AGE_SECONDS):
        raise PermissionDenied("support token already used")

    with transaction.atomic():
        user = _support_account()
        staff_set_roles(town=town, user=user, roles=[TOWN_ADMIN], actor=Actor.system("support"))
        audit_record(
            town=town,
            actor=Actor.vendor_support(payload["by"]),
            action="support.start",
            target=payload["reason"],
        )
    return user, payload


def _support_account() -> User:
    """The town's support account, found by its flag (an e-mail address can be registered)."""
    user = User.objects.filter(is_support_account=True).first()
    if user is None:
        user = User(
            email=f"support-{secrets.token_hex(6)}@{RESERVED_EMAIL_DOMAIN}",
            first_name="Rathaus",
            last_name="Support",
            is_staff=True,
            is_support_account=True,
        )
    # Only a support token opens it, whatever happened to the row meanwhile.
    user.set_unusable_password()
    user.save()
    return user


def support_url(*, town: Municipality, token: str) -> str:
    """The address on the town's own host where the token is redeemed."""
    return town_url(town=town, path=f"/staff/support/{token}/")


def support_session_seconds() -> int:
    return int(getattr(settings, "SUPPORT_SESSION_SECONDS", SESSION_SECONDS))
