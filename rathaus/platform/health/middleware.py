"""Answers ``/healthz`` on every host before tenant resolution, for load balancers and operators."""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse

from rathaus.platform.health.checks import check_all

HEALTH_PATHS = frozenset({"/healthz", "/healthz/"})


class HealthCheckMiddleware:
    """The full report (parts, timings, worker names, errors) only on the vendor's own hosts.

    Elsewhere (towns, unknown hosts, a load balancer's IP) just the verdict:
    worker host names and raw error texts are the operator's business.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.detail_hosts = {host.lower() for host in settings.PUBLIC_HOSTS}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in HEALTH_PATHS:
            return self.get_response(request)
        report = check_all()
        if _host(request) not in self.detail_hosts:
            report = {"ok": report["ok"], "status": report["status"]}
        # Only a town hall without its database is out of service: a load balancer must
        # keep sending visitors to one that answers from it while Redis is away.
        response = JsonResponse(report, status=503 if report["status"] == "down" else 200)
        response["Cache-Control"] = "no-store"
        return response


def _host(request: HttpRequest) -> str:
    """The request's host name; empty for one ALLOWED_HOSTS refuses (a load balancer's
    health check asks with the container's IP address), which then gets the verdict only."""
    try:
        return request.get_host().split(":")[0].lower()
    except DisallowedHost:
        return ""
