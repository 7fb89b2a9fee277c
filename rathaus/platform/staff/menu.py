"""The back office's menu: the platform's own pages and what the layers above add.

A port: the platform cannot know the service modules, so the module framework
registers a provider (``staff_pages_provider``) that lists, per request, the
pages of the modules active in the town that the person may work on.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rathaus.platform.staff.selectors import is_town_admin

Text = str | Promise


@dataclass(frozen=True)
class StaffPage:
    """A page of the back office: in the navigation and on the start page.

    ``admin``: a town admin's tool (branding, team, services); otherwise a
    module's working page (bookings, posts) for those with a role in it.
    """

    label: Text
    url: str
    description: Text = ""
    admin: bool = False
    # Where it stands among the others (the platform's own: 10, 30, 40, 50).
    order: int = 100


StaffPagesProvider = Callable[[HttpRequest], list[StaffPage]]
_providers: list[StaffPagesProvider] = []


def staff_pages_provider(provider: StaffPagesProvider) -> StaffPagesProvider:
    """Registers a function that adds pages for a request (called once per page shown)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def _own_pages() -> list[StaffPage]:
    return [
        StaffPage(
            _("Erscheinungsbild"),
            reverse("staff:branding"),
            _("Name, Farbe, Logo, Wappen, Kontakt, Impressum"),
            admin=True,
            order=10,
        ),
        StaffPage(
            _("Team"),
            reverse("staff:team"),
            _("Mitarbeiterinnen und Mitarbeiter und ihre Rollen"),
            admin=True,
            order=30,
        ),
        StaffPage(
            _("Landeskonto (BundID / Servicekonto)"),
            reverse("federation:settings"),
            _("Anmeldung mit der BundID oder dem Servicekonto des Landes einrichten"),
            admin=True,
            order=40,
        ),
        StaffPage(
            _("Zahlungen"),
            reverse("staff-payments:index"),
            _("Gebühren der Bürgerinnen und Bürger, Export für die Kasse, Zahlwege"),
            admin=True,
            order=42,
        ),
        StaffPage(
            _("Apps"),
            reverse("staff-apps:index"),
            _("Apps, die für Bürgerinnen und Bürger handeln dürfen (OAuth 2.0)"),
            admin=True,
            order=44,
        ),
        StaffPage(
            _("Nachrichten"),
            reverse("staff:messages"),
            _("Versandte E-Mails und SMS, und welche nicht sicher angekommen sind"),
            admin=True,
            order=45,
        ),
        StaffPage(
            _("Protokoll"),
            reverse("staff:audit"),
            _("Wer hat wann was geändert"),
            admin=True,
            order=50,
        ),
    ]


def staff_pages(request: HttpRequest) -> list[StaffPage]:
    """Every back-office page the person of ``request`` may open, admin tools first."""
    pages = [page for provider in _providers for page in provider(request)]
    if is_town_admin(user=request.user):
        pages = _own_pages() + pages
    return sorted(pages, key=lambda page: page.order)


@dataclass(frozen=True)
class StaffNotice:
    """A notice at the top of every back-office page (billing's "Rechnung überfällig")."""

    title: Text
    text: Text
    variant: str = "warning"  # a KERN alert variant: info, success, warning, danger
    link_label: Text = ""
    link_url: str = ""


StaffNoticesProvider = Callable[[HttpRequest], list[StaffNotice]]
_notice_providers: list[StaffNoticesProvider] = []


def staff_notices_provider(provider: StaffNoticesProvider) -> StaffNoticesProvider:
    """Registers a function that adds notices for a staff request (layers above: billing)."""
    if provider not in _notice_providers:
        _notice_providers.append(provider)
    return provider


def staff_notices(request: HttpRequest) -> list[StaffNotice]:
    """The notices for the staff member of ``request``, in the order they were registered."""
    return [notice for provider in _notice_providers for notice in provider(request)]
