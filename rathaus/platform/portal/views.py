"""The portal shell: a town's home page, the vendor's landing page, and a town's files."""

import mimetypes

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def town_home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/town_home.html")


@require_safe
def vendor_landing(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/vendor_landing.html")


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
    response = FileResponse(handle, content_type=content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response
