"""Guards for staff pages and staff API endpoints.

Pages: ``@staff_required()`` for town admins, ``@staff_required(module="appointments")``
for anyone with a role in that module (or ``role="clerk"`` for one role).
API: ``permission_classes = [module_staff("appointments")]``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from rathaus.platform.staff.selectors import is_town_admin, may_work_on

View = Callable[..., HttpResponse]


def _allowed(user: Any, module: str | None, role: str | None) -> bool:
    if module is None:
        return is_town_admin(user=user)
    return may_work_on(user=user, module=module, role=role)


def staff_required(module: str | None = None, role: str | None = None) -> Callable[[View], View]:
    """Lets a staff page through only for staff allowed to work on ``module`` (or town admins)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _allowed(request.user, module, role):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def module_staff(module: str | None = None, role: str | None = None) -> type[BasePermission]:
    """A DRF permission class for staff of ``module`` (``None``: town admins only)."""

    class ModuleStaff(BasePermission):
        def has_permission(self, request: Request, view: Any) -> bool:
            return bool(request.user and _allowed(request.user, module, role))

    ModuleStaff.__name__ = f"ModuleStaff_{module or 'town_admin'}"
    return ModuleStaff
