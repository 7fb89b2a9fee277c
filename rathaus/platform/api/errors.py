"""One error body for every API answer that is not a success.

``{"code": "...", "detail": "...", "errors": [...]}``: ``code`` is stable and meant for
programs, ``detail`` is the German (or negotiated) sentence for people, ``errors``
(validation only) names each bad input by its JSON path, as the house rule for JSON
input asks. Views that answer an error themselves use :func:`error_response`; the
rest comes from DRF's exceptions through :func:`api_exception_handler`
(``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).
"""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

INVALID = "invalid"


class FieldErrorSerializer(serializers.Serializer[Any]):
    path = serializers.CharField(help_text="JSON path of the bad input, e.g. `$.topics[0]`.")
    code = serializers.CharField(help_text="Stable code of the problem, e.g. `required`.")
    message = serializers.CharField()


class ErrorSerializer(serializers.Serializer[Any]):
    """The body of every 4xx answer (the OpenAPI component ``Error``)."""

    code = serializers.CharField(
        help_text="Stable code for programs: `invalid`, `not_found`, `not_authenticated`, "
        "`permission_denied`, `rate_limited`, … or one of the operation's own."
    )
    detail = serializers.CharField(help_text="What went wrong, in words for people.")
    # DRF's metaclass takes declared fields off the class, so this does not hide
    # Serializer.errors at run time; mypy sees only the class attribute.
    errors = FieldErrorSerializer(  # type: ignore[assignment]
        many=True, required=False, help_text="With `invalid`: each bad input."
    )

    class Meta:
        ref_name = "Error"


def error_response(code: str, detail: Any, *, status: int, **extra: Any) -> Response:
    """An error answer in the one shape, for views that decide on an error themselves."""
    return Response({"code": code, "detail": str(detail), **extra}, status=status)


def field_errors(detail: Any, path: str = "$") -> Iterator[dict[str, str]]:
    """Each message of a DRF validation ``detail`` (nested dicts and lists) with its JSON path."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            # DRF puts errors of the whole object under "non_field_errors", and those
            # of a list's items under their index.
            if key in ("non_field_errors", "__all__"):
                child = path
            elif isinstance(key, int):
                child = f"{path}[{key}]"
            else:
                child = f"{path}.{key}"
            yield from field_errors(value, child)
    elif isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            for item in detail:
                yield _message(item, path)
        else:
            for index, item in enumerate(detail):
                yield from field_errors(item, f"{path}[{index}]")
    else:
        yield _message(detail, path)


def _message(item: Any, path: str) -> dict[str, str]:
    return {"path": path, "code": str(getattr(item, "code", INVALID)), "message": str(item)}


# DRF's own messages for these are English in places (Http404's model names).
_PLAIN: dict[type[exceptions.APIException], Any] = {
    exceptions.NotFound: _("Das gibt es hier nicht.")
}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (status, ``WWW-Authenticate``, ``Retry-After``) with the one body."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": INVALID,
            "detail": str(_("Die Angaben sind nicht gültig.")),
            "errors": list(field_errors(exc.detail)),
        }
        return response
    detail = _PLAIN.get(type(exc), exc.detail)
    code = exc.get_codes() if isinstance(exc.detail, str) else exc.default_code
    response.data = {
        "code": _code(code),
        "detail": str(detail if not isinstance(detail, dict | list) else exc.default_detail),
    }
    return response


def _code(code: Any) -> str:
    # DRF's code for throttling is "throttled"; ours (and the modules') "rate_limited".
    return "rate_limited" if code == "throttled" else str(code)
