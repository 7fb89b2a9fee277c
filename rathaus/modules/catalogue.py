"""Each active module's services in the town's catalogue (the platform's catalogue port)."""

from collections.abc import Mapping, Sequence

from rathaus.modules.registry import Module
from rathaus.modules.selectors import active_modules
from rathaus.platform.catalogue.entries import NextFree, ServiceEntry
from rathaus.platform.catalogue.sources import CatalogueSource
from rathaus.tenants.current import current_town_or_none
from rathaus.tenants.models import Municipality


def _source(module: type[Module]) -> CatalogueSource:
    def entries() -> Sequence[ServiceEntry]:
        return module.catalogue_entries()

    def next_free(keys: Sequence[str]) -> Mapping[str, NextFree]:
        return module.catalogue_next_free(keys=keys)

    return CatalogueSource(module.key, entries, next_free)


def module_catalogue_sources() -> list[CatalogueSource]:
    """One source per module active in the current town (none on the vendor's hosts)."""
    town = current_town_or_none()
    if not isinstance(town, Municipality):
        return []
    return [_source(module) for module in active_modules(town=town)]
