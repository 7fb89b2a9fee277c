"""The vendor's landing page on its own hosts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def vendor_landing(request: HttpRequest) -> HttpResponse:
    return render(request, "vendor/landing.html")
