"""Query parameters read strictly: a bad one is refused with its name, never ignored."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request

from .errors import INVALID

_LISTS = (serializers.ListField, serializers.MultipleChoiceField, serializers.ManyRelatedField)


def query_validated(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    """``request``'s query parameters checked by ``serializer_class``; its validated data.

    A parameter that is not a list but given more than once (``?service=1&service=2``)
    is refused rather than silently reduced to one of its values, and an empty one is
    checked like any other value rather than dropped. Errors answer 400
    ``invalid`` with each parameter's path (``$.service``), as body errors do.
    """
    fields = serializer_class().fields
    params = request.query_params
    problems: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for name, field in fields.items():
        values = params.getlist(name)
        if any("\x00" in value for value in values):
            problems[name] = [_("Der Parameter enthält ein Nullzeichen (U+0000).")]
        elif isinstance(field, _LISTS):
            data[name] = values
        elif len(values) > 1:
            problems[name] = [_("Dieser Parameter darf nur einmal angegeben werden.")]
        elif values:
            # A plain dict, not the QueryDict: DRF reads "?service=" from a QueryDict as
            # "not given" and would ignore it; here it is a bad number, as it should be.
            data[name] = values[0]
    if problems:
        raise serializers.ValidationError(problems, code=INVALID)
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class PageQuery(serializers.Serializer[Any]):
    """``?page=N`` of a paged list (DRF's ``PageNumberPagination``)."""

    page = serializers.IntegerField(required=False, min_value=1, help_text="Page number")
