"""The town's installable web app: its manifest, home-screen icons, service worker and
offline page. Each town's host serves its own, so "add to home screen" installs that town."""

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rathaus.platform.branding.app_icons import ICON_SIZES, app_icon_render
from rathaus.platform.branding.selectors import current_branding
from rathaus.tenants.current import current_town

# What the service worker keeps for offline use: the look of the site, nothing personal.
OFFLINE_ASSETS = (
    "kern/kern.min.css",
    "design/rathaus.css",
    "design/rathaus.js",
)
# Bump to make every installed app drop its old cache.
CACHE_VERSION = "2"


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    town = current_town()
    branding = current_branding()
    name = branding.display_name or town.name
    icons = [
        {
            "src": reverse("app-icon", args=[purpose, size]),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": purpose,
        }
        for purpose in ("any", "maskable")
        for size in ICON_SIZES
        if size != 180  # the apple-touch-icon, linked from the page itself
    ]
    data = {
        "id": "/",
        "name": _("%(name)s – Digitales Rathaus") % {"name": name},
        "short_name": name[:12],
        "description": _("Termine, Anträge und Nachrichten Ihrer Kommune."),
        "lang": request.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": branding.primary_color,
        "icons": icons,
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_safe
def app_icon(request: HttpRequest, purpose: str, size: int) -> HttpResponse:
    town = current_town()
    branding = current_branding()
    try:
        png = app_icon_render(
            branding=branding, name=branding.display_name or town.name, size=size, purpose=purpose
        )
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The worker at the root, so its scope is the whole town site."""
    config = {
        "cache": f"rathaus-{current_town().schema_name}-v{CACHE_VERSION}",
        "offline": reverse("offline"),
        "static": static(""),
        "assets": [static(path) for path in OFFLINE_ASSETS],
    }
    response = render(
        request,
        "portal/sw.js",
        {"config": json.dumps(config)},
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the app shows without a network; the same for everyone (fetched without cookies)."""
    return render(request, "portal/offline.html")
