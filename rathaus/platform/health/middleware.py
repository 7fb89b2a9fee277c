"""Answers ``/healthz`` on every host before tenant resolution, for load balancers and operators."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from rathaus.platform.health.checks import check_all

HEALTH_PATHS = frozenset({"/healthz", "/healthz/"})


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in HEALTH_PATHS:
            return self.get_response(request)
        report = check_all()
        response = JsonResponse(report, status=200 if report["ok"] else 503)
        response["Cache-Control"] = "no-store"
        return response
