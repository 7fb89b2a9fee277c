"""drf-spectacular hook: a town's OpenAPI schema shows only the API of its active modules."""

from typing import Any

from rathaus.modules.registry import modules
from rathaus.modules.selectors import active_module_keys
from rathaus.tenants.current import current_town_or_none


def drop_inactive_module_endpoints(endpoints: list[Any], **kwargs: Any) -> list[Any]:
    town = current_town_or_none()
    active = active_module_keys(town=town) if town is not None else frozenset()
    hidden = tuple(f"/api/v1/{m.key}/" for m in modules if m.key not in active)
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith(hidden)]


def drop_empty_email_defaults(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """An optional e-mail field's default "" is no e-mail address: the schema leaves it out.

    (OpenAPI validators check a default against its format, so the schema would not validate.)
    """

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("format") == "email" and node.get("default") == "":
                del node["default"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
