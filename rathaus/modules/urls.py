"""Mounts every registered module's URLs, each behind its module's gates.

A gated resolver behaves as if its URLs did not exist while the module is
not active for the request's town, so pages and API answer 404 at once when a
module is switched off, on every worker, with no restart.
"""

from typing import Any

from django.urls import URLResolver, include
from django.urls.exceptions import Resolver404
from django.urls.resolvers import ResolverMatch, RoutePattern

from rathaus.modules.registry import modules
from rathaus.modules.selectors import module_is_active
from rathaus.tenants.current import current_town_or_none


class ModuleGatedResolver(URLResolver):
    """A URLResolver that matches only while its module is active for the current town."""

    def __init__(self, prefix: str, urlconf: str, namespace: str, module_key: str) -> None:
        urlconf_module, app_name, instance_namespace = include(
            (urlconf, namespace), namespace=namespace
        )
        super().__init__(
            RoutePattern(prefix, is_endpoint=False),
            urlconf_module,
            app_name=app_name,
            namespace=instance_namespace,
        )
        self.module_key = module_key

    def resolve(self, path: Any) -> ResolverMatch:
        # The gate is asked only for paths under this module's prefix.
        if self.pattern.match(path) and not module_is_active(
            town=current_town_or_none(), key=self.module_key
        ):
            raise Resolver404({"path": path, "tried": []})
        return super().resolve(path)


def citizen_patterns() -> list[URLResolver]:
    """``/<key>/`` for each module with citizen pages; namespace ``<key>``."""
    return [
        ModuleGatedResolver(f"{m.key}/", m.citizen_urls, m.key, m.key)
        for m in modules
        if m.citizen_urls
    ]


def staff_patterns() -> list[URLResolver]:
    """``/staff/<key>/`` for each module with staff pages; namespace ``staff-<key>``."""
    return [
        ModuleGatedResolver(f"staff/{m.key}/", m.staff_urls, f"staff-{m.key}", m.key)
        for m in modules
        if m.staff_urls
    ]


def api_patterns() -> list[URLResolver]:
    """``/api/v1/<key>/`` for each module with an API; namespace ``api-<key>``."""
    return [
        ModuleGatedResolver(f"api/v1/{m.key}/", m.api_urls, f"api-{m.key}", m.key)
        for m in modules
        if m.api_urls
    ]
