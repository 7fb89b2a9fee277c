"""The vendor's landing page on its own hosts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rathaus.modules.registry import modules as module_registry


@require_safe
def vendor_landing(request: HttpRequest) -> HttpResponse:
    # Only the services that exist: every registered module, by its title and description.
    return render(request, "vendor/landing.html", {"modules": list(module_registry)})
