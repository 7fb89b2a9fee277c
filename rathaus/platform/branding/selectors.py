"""The current town's branding, cached per town and dropped when it changes."""

from django.core.cache import cache
from django.utils.translation import gettext as _

from rathaus.platform.branding.models import Branding

# The default cache prefixes keys with the town's schema, so this key is per town.
CACHE_KEY = "branding:v2"


def current_branding() -> Branding:
    """The branding of the town whose schema is active (defaults when none is saved)."""
    branding: Branding | None = cache.get(CACHE_KEY)
    if branding is None:
        branding = Branding.objects.filter(pk=1).first() or Branding(pk=1)
        cache.set(CACHE_KEY, branding, 60 * 60)
    return branding


def forget_branding() -> None:
    cache.delete(CACHE_KEY)


# Kinds of authority whose German name is feminine ("der Stadt …"); "Markt" and
# "Flecken" take the genitive "des Marktes …"; anything else reads "von …".
FEMININE_KINDS = frozenset(
    {
        "stadt",
        "gemeinde",
        "hansestadt",
        "lutherstadt",
        "kreisstadt",
        "landeshauptstadt",
        "verbandsgemeinde",
        "samtgemeinde",
        "einheitsgemeinde",
        "ortsgemeinde",
        "universitätsstadt",
        "welterbestadt",
        "kurstadt",
    }
)
GENITIVE_KINDS = {"markt": "Marktes", "flecken": "Fleckens"}


def offered_by(authority: str) -> str:
    """The header's line "Ein Angebot der Stadt Tangerhütte" for an authority's name."""
    first, _sep, rest = authority.strip().partition(" ")
    kind = first.lower()
    if rest and kind in FEMININE_KINDS:
        return _("Ein Angebot der %(authority)s") % {"authority": authority}
    if rest and kind in GENITIVE_KINDS:
        return _("Ein Angebot des %(authority)s") % {"authority": f"{GENITIVE_KINDS[kind]} {rest}"}
    return _("Ein Angebot von %(authority)s") % {"authority": authority}
