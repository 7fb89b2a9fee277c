"""The tenant middleware's stand-in for bench/load.py's overhead figure: the town is
fixed and its schema set once, so a request does no host lookup and no schema switch."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import set_urlconf

FIXED: dict[str, object] = {}


class FixedTownMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.tenant = FIXED["town"]  # type: ignore[attr-defined]
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return self.get_response(request)
