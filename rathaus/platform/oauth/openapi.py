"""The OpenAPI schema's ``oauth2`` security scheme: the flow and each operation's scope."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from rathaus.platform.oauth.scopes import OPEN_TO_APPS, SCOPES, scope_needed
from rathaus.platform.oauth.selectors import view_capability


class AppTokenScheme(OpenApiAuthenticationExtension):
    """Authorization code with PKCE at the town's own host; rotating refresh tokens."""

    target_class = "rathaus.platform.oauth.authentication.AppTokenAuthentication"
    name = "oauth2"
    priority = 1  # before drf-spectacular's own extension for the toolkit's class

    def get_security_requirement(
        self, auto_schema: Any
    ) -> dict[str, list[Any]] | list[dict[str, list[Any]]]:
        capability = view_capability(auto_schema.view)
        if capability is None:
            return []  # not open to apps (the staff API)
        if capability == OPEN_TO_APPS:
            return {self.name: []}
        return {self.name: [scope_needed(capability=capability, method=auto_schema.method)]}

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "oauth2",
            "description": (
                "Authorization code with PKCE (S256 only) for public clients registered "
                "with the town; the endpoints are on the town's own host. Refresh tokens "
                "rotate: each one is good for one refresh."
            ),
            "flows": {
                "authorizationCode": {
                    "authorizationUrl": "/oauth/authorize/",
                    "tokenUrl": "/oauth/token/",
                    "refreshUrl": "/oauth/token/",
                    "scopes": {scope: str(words) for scope, words in SCOPES.items()},
                }
            },
        }
