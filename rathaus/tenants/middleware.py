"""Chooses the town, and with it the database schema and URLconf, from the request's host.

Replaces django-tenants' ``TenantMainMiddleware``: the lookup is cached (see
``selectors.host_resolve``), the vendor's own hosts need no tenant
row, and a host that is no town gets a 404 page rendered here, before any
URLconf could answer with the public schema's pages.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.template.response import TemplateResponse
from django.urls import set_urlconf
from django.utils import translation

from rathaus.tenants.db import tenant_connection
from rathaus.tenants.hosts import town_host_admitted
from rathaus.tenants.selectors import host_origin, host_resolve


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    """The 404 page for a host that belongs to no town; it shows no data at all."""
    with translation.override(translation.get_language_from_request(request)):
        response = TemplateResponse(request, "portal/unknown_host.html", status=404)
        response.render()
    return response


def suspended_response(request: HttpRequest, town: object) -> HttpResponse:
    """The notice a suspended town shows to everyone, citizens and staff, on every page."""
    with translation.override(translation.get_language_from_request(request)):
        response = TemplateResponse(request, "tenants/suspended.html", {"town": town}, status=503)
        response.render()
    response["Retry-After"] = "86400"
    # Expected, not an error: keeps Django (and with it Sentry) from logging every request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _permanent_redirect(request: HttpRequest, origin: str) -> HttpResponse:
    """The same path on ``origin``; a form or API call (POST, PUT…) is repeated there as it
    was (308), where a 301 would turn it into a GET and lose its body."""
    return HttpResponsePermanentRedirect(
        f"{origin}{request.get_full_path()}",
        preserve_request=request.method not in ("GET", "HEAD"),
    )


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.public_hosts = {host.lower() for host in settings.PUBLIC_HOSTS}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant_connection.set_schema_to_public()
        # The raw Host header: a town's custom domain is not in ALLOWED_HOSTS; it is
        # admitted below once it is found to belong to a town.
        hostname, _port = split_domain_port(request._get_raw_host())  # type: ignore[attr-defined]
        if not hostname:
            return unknown_host_response(request)

        if hostname in self.public_hosts:
            try:
                request.get_host()  # the vendor's hosts: Django's own check, as configured
            except DisallowedHost:
                return unknown_host_response(request)
            request.tenant = None  # type: ignore[attr-defined]
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return self.get_response(request)

        match = host_resolve(hostname=hostname)
        if match is None:
            return unknown_host_response(request)
        town = match.town
        if match.redirect_to:
            # A former host (e.g. before a change of slug) or www. of a town's host:
            # links and bookmarks keep working, and the visitor lands on the town's address,
            # as the town is reached: not with the port or scheme the client sent.
            return _permanent_redirect(request, host_origin(hostname=match.redirect_to))

        town.domain_url = hostname
        request.tenant = town  # type: ignore[attr-defined]
        tenant_connection.set_tenant(town)
        with town_host_admitted(hostname):
            if not town.is_active and not request.path.startswith(settings.STATIC_URL):
                return suspended_response(request, town)
            return self.get_response(request)
