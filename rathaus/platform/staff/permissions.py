"""Guards for staff pages and staff API endpoints.

Pages: ``@staff_required()`` for town admins, ``@staff_required(module="appointments")``
for anyone with a role in that module (or ``role="clerk"`` for one role).
API: ``permission_classes = [module_staff("appointments")]``.

Where the town requires a second factor of its staff, both guards also want a
session verified by one: a page sends the person to prove it (and back), the
API answers 403 saying so.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from rathaus.platform.staff.actors import SUPPORT_SESSION_KEY
from rathaus.platform.staff.selectors import is_town_admin, may_work_on, second_factor_missing

View = Callable[..., HttpResponse]
SECOND_FACTOR_MESSAGE = _("Ihre Kommune verlangt für die Online-Verwaltung einen zweiten Faktor.")


def _allowed(user: Any, module: str | None, role: str | None) -> bool:
    if module is None:
        return is_town_admin(user=user)
    return may_work_on(user=user, module=module, role=role)


def needs_second_factor(request: HttpRequest) -> bool:
    """Whether this request's staff member must still prove a second factor."""
    support = bool(request.session.get(SUPPORT_SESSION_KEY))
    return second_factor_missing(user=request.user, support=support)


def second_factor_redirect(request: HttpRequest) -> HttpResponse:
    """To the page where the person proves (or sets up) a second factor, then back here."""
    query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts:login-otp')}?{query}")


def staff_required(module: str | None = None, role: str | None = None) -> Callable[[View], View]:
    """Lets a staff page through only for staff allowed to work on ``module`` (or town admins)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not _allowed(request.user, module, role):
                raise PermissionDenied
            if needs_second_factor(request):
                return second_factor_redirect(request)
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def module_staff(module: str | None = None, role: str | None = None) -> type[BasePermission]:
    """A DRF permission class for staff of ``module`` (``None``: town admins only)."""

    class ModuleStaff(BasePermission):
        message: Any = None  # DRF's own "no permission", unless a second factor is missing

        def has_permission(self, request: Request, view: Any) -> bool:
            if not (request.user and _allowed(request.user, module, role)):
                return False
            if needs_second_factor(request._request):
                self.message = SECOND_FACTOR_MESSAGE
                return False
            return True

    ModuleStaff.__name__ = f"ModuleStaff_{module or 'town_admin'}"
    return ModuleStaff
