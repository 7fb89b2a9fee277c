"""Who may do what in a town's back office."""

from typing import Any

from rathaus.platform.staff.models import TOWN_ADMIN, StaffPolicy, StaffRole


def roles_of(*, user: Any) -> frozenset[str]:
    """The user's roles in the current town (memoised on the user object for one request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_staff or not user.is_active:
        return frozenset()
    cached: frozenset[str] | None = getattr(user, "_staff_roles", None)
    if cached is None:
        cached = frozenset(StaffRole.objects.filter(user=user).values_list("role", flat=True))
        user._staff_roles = cached
    return cached


def is_town_admin(*, user: Any) -> bool:
    return TOWN_ADMIN in roles_of(user=user)


def may_work_on(*, user: Any, module: str, role: str | None = None) -> bool:
    """Town admins may do everything; a clerk only what a role of theirs in ``module`` covers.

    ``role`` narrows the check to one of the module's roles; ``None`` accepts any of them.
    """
    roles = roles_of(user=user)
    if TOWN_ADMIN in roles:
        return True
    if role is not None:
        return f"{module}.{role}" in roles
    return any(granted.startswith(f"{module}.") for granted in roles)


def staff_members() -> Any:
    """The current town's staff with their roles, by e-mail address.

    Each carries ``has_totp`` and ``has_passkey``: whether it has a second factor set up.
    """
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rathaus.platform.identity.models import Passkey, User

    return (
        User.objects.filter(is_staff=True)
        .annotate(
            has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            has_passkey=Exists(Passkey.objects.filter(user=OuterRef("pk"))),
        )
        .prefetch_related("staff_roles")
        .order_by("email")
    )


def second_factor_required() -> bool:
    """Whether the current town requires a second factor of its staff (town admin's setting)."""
    return StaffPolicy.objects.filter(pk=1, second_factor_required=True).exists()


def second_factor_missing(*, user: Any, support: bool = False) -> bool:
    """Whether ``user`` must prove a second factor before working in the back office.

    True for staff of a town that requires one whose session is not verified by
    django-otp (an authenticator code or a passkey login). The vendor's support
    sessions (``support``) are let through: the vendor's console guards those.
    """
    if support or not roles_of(user=user):
        return False
    verified = getattr(user, "is_verified", None)
    if verified is not None and verified():
        return False
    return second_factor_required()
