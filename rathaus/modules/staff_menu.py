"""The services' entries in the back office menu (``platform.staff.menu``'s port)."""

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rathaus.modules.selectors import active_modules
from rathaus.platform.staff.menu import StaffPage
from rathaus.platform.staff.selectors import is_town_admin, may_work_on
from rathaus.tenants.current import current_town


def module_staff_pages(request: HttpRequest) -> list[StaffPage]:
    """The "Dienste" page for town admins, and each active module's staff pages for those
    who may work on the module."""
    pages = []
    if is_town_admin(user=request.user):
        pages.append(
            StaffPage(
                _("Dienste"),
                reverse("staff-modules:index"),
                _("Online-Dienste ein- und ausschalten und einstellen"),
                admin=True,
                order=20,
            )
        )
    for module in active_modules(town=current_town()):
        if not may_work_on(user=request.user, module=module.key):
            continue
        for entry in module.nav:
            if entry.staff_only:
                url = reverse(f"{entry.namespace(module.key)}:{entry.url_name}")
                pages.append(StaffPage(entry.label, url, module.title))
    return pages
