"""The current town's branding, cached per town and dropped when it changes."""

from django.core.cache import cache

from rathaus.platform.branding.models import Branding

# The default cache prefixes keys with the town's schema, so this key is per town.
CACHE_KEY = "branding:v1"


def current_branding() -> Branding:
    """The branding of the town whose schema is active (defaults when none is saved)."""
    branding: Branding | None = cache.get(CACHE_KEY)
    if branding is None:
        branding = Branding.objects.filter(pk=1).first() or Branding(pk=1)
        cache.set(CACHE_KEY, branding, 60 * 60)
    return branding


def forget_branding() -> None:
    cache.delete(CACHE_KEY)


def stored_branding() -> Branding:
    """The branding stored in the active schema, read afresh (unsaved defaults when none)."""
    return Branding.objects.filter(pk=1).first() or Branding(pk=1)
