"""The portal shell: a town's home page, its public files and its private downloads."""

import mimetypes

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import SuspiciousOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from rathaus.platform.branding.selectors import current_branding
from rathaus.platform.catalogue import selectors as catalogue
from rathaus.platform.staff.selectors import is_town_admin
from rathaus.platform.storage.downloads import download_read
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.signing import BadToken, ExpiredToken


@require_safe
def town_home(request: HttpRequest) -> HttpResponse:
    """The town's service catalogue: search first, life situations, popular services,
    opening hours and the next free appointment of each popular service."""
    entries = catalogue.catalogue_entries()
    popular = catalogue.catalogue_popular(entries)
    next_free = catalogue.catalogue_next_free(popular)
    return render(
        request,
        "portal/town_home.html",
        {
            "entries": entries,
            "groups": catalogue.catalogue_by_life_situation(entries),
            "popular": [(entry, next_free.get(entry.slug)) for entry in popular],
            "places": catalogue.catalogue_places(entries),
        },
    )


def _legal_context(request: HttpRequest) -> dict[str, bool]:
    # Only a town admin can enter the town's own pages, so only they are told to.
    return {"can_fix_identity": is_town_admin(user=request.user)}


@require_safe
def imprint(request: HttpRequest) -> HttpResponseBase:
    """The town's Impressum (§ 5 DDG): its own page where it has one, else what we know."""
    branding = current_branding()
    if branding.imprint_url:
        return redirect(branding.imprint_url)
    return render(request, "portal/legal/imprint.html", _legal_context(request))


@require_safe
def privacy(request: HttpRequest) -> HttpResponseBase:
    """The privacy notice (Art. 13 GDPR): the town's own where it has one, else ours."""
    branding = current_branding()
    if branding.privacy_url:
        return redirect(branding.privacy_url)
    return render(request, "portal/legal/privacy.html", _legal_context(request))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form refused for its missing or stale security token (CSRF): most often the page
    stood open too long, or the browser blocks cookies. Says so and how to go on."""
    return render(request, "portal/csrf_failure.html", status=403)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement every public body's site must have (BITV 2.0 § 7)."""
    return render(request, "portal/legal/accessibility.html")


# Shown in the browser; everything else (HTML, SVG, scripts…) is downloaded.
INLINE_CONTENT_TYPES = frozenset(
    {"image/png", "image/jpeg", "image/webp", "image/gif", "application/pdf"}
)


@require_safe
def town_file(request: HttpRequest, path: str) -> FileResponse:
    """Serves a stored file of the request's town.

    The storage resolves ``path`` below the current town's own prefix, so a
    path copied from another town's page finds nothing here.
    """
    try:
        if not default_storage.exists(path):
            raise Http404("No such file")
        handle = default_storage.open(path)
    except SuspiciousOperation as exc:  # a path climbing out of the town's prefix
        raise Http404("No such file") from exc
    content_type, _ = mimetypes.guess_type(path)
    inline = content_type in INLINE_CONTENT_TYPES
    response = FileResponse(
        handle,
        content_type=content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=path.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    # An uploaded file never runs as a page of the town's site.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    return response


# An uploaded file never runs as a page of the town's site, nor loads anything.
DOWNLOAD_CSP = "sandbox; default-src 'none'"
NOT_CACHED = "private, no-store"


def _download_page(request: HttpRequest, *, reason: str, status: int) -> HttpResponse:
    response = render(request, "portal/download_refused.html", {"reason": reason}, status=status)
    response["Cache-Control"] = NOT_CACHED
    return response


@require_safe
def private_file(request: HttpRequest, token: str) -> HttpResponseBase:
    """A private file of the request's town, for a logged-in reader its signed link names.

    Logged out, the reader logs in first and comes back here. The file is
    always a download (``attachment``), never sniffed, run or cached.
    """
    try:
        download = download_read(token=token)
    except ExpiredToken:
        return _download_page(request, reason="expired", status=410)
    except BadToken as exc:  # changed, or made for another town
        raise Http404("No such file") from exc
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not download.admits(request.user):
        return _download_page(request, reason="not_yours", status=403)
    storage = private_storage()
    try:
        if not storage.exists(download.name):
            raise Http404("No such file")
        handle = storage.open(download.name)
    except SuspiciousOperation as exc:
        raise Http404("No such file") from exc
    content_type, _ = mimetypes.guess_type(download.filename)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download.filename,
        content_type=content_type
        if content_type in INLINE_CONTENT_TYPES
        else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = NOT_CACHED
    return response
