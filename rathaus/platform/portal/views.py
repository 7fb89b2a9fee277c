"""The portal shell: a town's home page and a town's public files."""

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def town_home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/town_home.html")


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
    except SuspiciousFileOperation as exc:
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
