"""Vendor code: applies a preset to many towns (crosses schemas, hence the name)."""

from collections.abc import Iterable

from django_tenants.utils import tenant_context

from rathaus.platform.audit.services import Actor
from rathaus.platform.federation.models import IdentityProvider
from rathaus.platform.federation.presets.models import FederationPreset
from rathaus.platform.federation.services import preset_apply, provider_save
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host


def all_tenants_preset_apply(
    *,
    preset: FederationPreset,
    towns: Iterable[Municipality],
    enable: bool = False,
    actor: Actor | None = None,
) -> int:
    """Writes ``preset`` into each town's settings (its secrets and SP keys stay).

    Returns the number of towns changed. Used at rollout, e.g. the
    Sachsen-Anhalt preset for every town of that state.
    """
    count = 0
    for town in towns:
        with tenant_context(town):
            provider = preset_apply(preset=preset)
            if enable:
                provider.enabled = True
            provider_save(provider=provider, common_name=town_host(slug=town.slug), actor=actor)
            count += 1
    return count


def all_tenants_preset_fill(
    *, preset: FederationPreset, towns: Iterable[Municipality], actor: Actor | None = None
) -> int:
    """Applies ``preset`` to those ``towns`` that have no settings of its protocol yet.

    Used at rollout: running it again after a crash completes the rest and
    never overwrites what a town has set up itself.
    """
    missing = []
    for town in towns:
        with tenant_context(town):
            if not IdentityProvider.objects.filter(protocol=preset.protocol).exists():
                missing.append(town)
    return all_tenants_preset_apply(preset=preset, towns=missing, actor=actor)
