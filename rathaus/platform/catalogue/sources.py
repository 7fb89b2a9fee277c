"""The catalogue's port: who lists services in the current town.

The platform knows no modules. A layer above registers a provider that
returns the sources active in the current town; each lists its entries and,
on request, the next free appointment of some of them (asked only for the
services a page shows, as it costs a look at the calendar).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from rathaus.platform.catalogue.entries import NextFree, ServiceEntry


def _no_appointments(keys: Sequence[str]) -> Mapping[str, NextFree]:
    return {}


@dataclass(frozen=True)
class CatalogueSource:
    """A lister of services, e.g. one service module: its key, entries and free times."""

    key: str
    entries: Callable[[], Sequence[ServiceEntry]]
    next_free: Callable[[Sequence[str]], Mapping[str, NextFree]] = _no_appointments


SourcesProvider = Callable[[], list[CatalogueSource]]
_providers: list[SourcesProvider] = []


def catalogue_sources_provider(provider: SourcesProvider) -> SourcesProvider:
    """Registers a function that returns the sources serving the current town."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def catalogue_sources() -> list[CatalogueSource]:
    """Every source active in the current town, in the providers' order."""
    return [source for provider in _providers for source in provider()]
