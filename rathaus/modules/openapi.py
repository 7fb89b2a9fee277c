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
