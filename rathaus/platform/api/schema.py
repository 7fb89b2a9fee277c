"""drf-spectacular's AutoSchema, documenting the error answers every operation can give.

Which errors an operation may answer follows from what it is, so no view has to list
them (and a new module's API is documented right with no extra code):

- 400 ``invalid`` where it takes a body or query parameters,
- 401 where a bad or expired bearer token can reach it (every view that authenticates),
- 403 where a permission (a scope, a role, the CSRF check) can refuse it,
- 404 everywhere: a path names something this town does not have, or a module is off,
- 415 where it takes a body (another content type than the documented ones).

It also says ``minItems: 1`` for a list that may not be empty (``allow_empty=False``),
which drf-spectacular leaves out: a client following the schema would send ``[]``.

An operation's own ``@extend_schema(responses=...)`` for a code wins.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from .errors import ErrorSerializer

DESCRIPTIONS = {
    "400": "The input is not valid (`invalid`, each bad input in `errors`).",
    "401": "No, an expired or a revoked token (`not_authenticated`, `authentication_failed`).",
    "403": "Not allowed: a scope or role is missing (`permission_denied`).",
    "404": "Nothing of that name in this town (`not_found`).",
    "415": "The body's content type is not one this operation reads.",
}


class RathausAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
                responses[code]["description"] = DESCRIPTIONS[code]
        return responses

    def _map_serializer_field(
        self, field: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema: dict[str, Any] = super()._map_serializer_field(field, direction, bypass_extensions)
        lists = (serializers.ListField, serializers.ManyRelatedField, serializers.ListSerializer)
        if isinstance(field, lists) and not field.allow_empty and schema.get("type") == "array":
            schema["minItems"] = max(1, schema.get("minItems", 0))
        return schema

    def _error_codes(self) -> list[str]:
        has_body = self.method in ("POST", "PUT", "PATCH")
        has_query = any(p.get("in") == "query" for p in self._get_parameters())
        codes = []
        if has_body or has_query:
            codes.append("400")
        if self.view.get_authenticators():
            codes.append("401")
        permissions = self.view.get_permissions()
        if not all(isinstance(p, AllowAny) for p in permissions) or getattr(
            self.view, "oauth_scope", None
        ):
            codes.append("403")
        codes.append("404")
        if has_body:
            codes.append("415")
        return codes
