"""The API's JSON parser: refuses text PostgreSQL cannot hold before any view sees it."""

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser


def nul_path(value: Any, path: str = "$") -> str | None:
    """The JSON path of the first string (or key) in ``value`` with a NUL character."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                return path
            found = nul_path(item, f"{path}.{key}")
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_path(item, f"{path}[{index}]")
            if found:
                return found
    return None


class StrictJSONParser(JSONParser):
    """JSON whose strings contain no NUL character (U+0000).

    PostgreSQL refuses NUL in text, so such input would fail as a server error in
    whichever query first met it; it is refused here as a bad request instead.
    """

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        where = nul_path(data)
        if where is not None:
            raise exceptions.ParseError(
                _("%(path)s enthält ein Nullzeichen (U+0000).") % {"path": where}
            )
        return data
