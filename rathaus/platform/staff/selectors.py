"""Who may do what in a town's back office."""

from typing import Any

from rathaus.platform.staff.models import TOWN_ADMIN, StaffRole


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
    """The current town's staff with their roles, by e-mail address."""
    from rathaus.platform.identity.models import User

    return User.objects.filter(is_staff=True).prefetch_related("staff_roles").order_by("email")
