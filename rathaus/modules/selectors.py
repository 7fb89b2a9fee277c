"""Which modules are active for a town; cached in Redis, dropped on every change."""

from django.core.cache import caches
from django.utils.translation import gettext as _

from rathaus.modules.models import ModuleActivation
from rathaus.modules.registry import Module, modules
from rathaus.tenants.models import Municipality

ACTIVE_CACHE_TIMEOUT = 60 * 60


def _active_cache_key(town_id: int) -> str:
    return f"modules:active:v2:{town_id}"


def _active(town: Municipality) -> dict[str, str]:
    """The town's active modules with the trust level each needs; one cache entry per town."""
    cache = caches["platform"]
    key = _active_cache_key(town.pk)
    cached: dict[str, str] | None = cache.get(key)
    if cached is None:
        cached = dict(
            ModuleActivation.objects.filter(town=town, allowed=True, enabled=True).values_list(
                "module", "required_trust_level"
            )
        )
        cache.set(key, cached, ACTIVE_CACHE_TIMEOUT)
    # A row may outlive the code of a removed module: only registered ones count.
    return {k: level for k, level in cached.items() if k in modules}


def active_module_keys(*, town: Municipality) -> frozenset[str]:
    """Keys of the modules serving ``town`` now: allowed by the vendor and enabled by the town."""
    return frozenset(_active(town))


def module_required_trust_level(*, town: Municipality, key: str) -> str:
    """The eIDAS level a citizen must have proven to use module ``key`` ("" = none)."""
    return _active(town).get(key, "")


def active_modules(*, town: Municipality) -> list[type[Module]]:
    keys = active_module_keys(town=town)
    return [module for module in modules if module.key in keys]


def module_is_active(*, town: Municipality | None, key: str) -> bool:
    return town is not None and key in active_module_keys(town=town)


def forget_active_modules(*, town_id: int) -> None:
    caches["platform"].delete(_active_cache_key(town_id))


def module_activation(*, town: Municipality, key: str) -> ModuleActivation:
    """The town's row for a module (unsaved and off if there is none yet)."""
    row = ModuleActivation.objects.filter(town=town, module=key).first()
    return row or ModuleActivation(town=town, module=key, settings=modules[key].default_settings())


def module_overview(*, town: Municipality) -> list[tuple[type[Module], ModuleActivation]]:
    """Every registered module with the town's gates and settings, for back office pages."""
    rows = {row.module: row for row in ModuleActivation.objects.filter(town=town)}
    return [
        (
            module,
            rows.get(module.key)
            or ModuleActivation(town=town, module=module.key, settings=module.default_settings()),
        )
        for module in modules
    ]


def towns_with_module_active(*, key: str) -> list[str]:
    """Schema names of the active towns where module ``key`` is allowed and enabled."""
    return list(
        Municipality.objects.active()
        .filter(
            module_activations__module=key,
            module_activations__allowed=True,
            module_activations__enabled=True,
        )
        .values_list("schema_name", flat=True)
    )


def module_switch_off_consequences(*, town: Municipality, key: str) -> list[str]:
    """What switching module ``key`` off means for ``town`` (run in the town's schema).

    The module's own words (``switch_off_consequences``) first, then what holds
    for every module: its pages go at once, and nothing is deleted.
    """
    module = modules[key]
    said = [str(line) for line in module.switch_off_consequences(town=town)]
    title = module.title
    said.append(
        _("%(title)s verschwindet sofort aus dem Angebot und der Navigation der Kommune.")
        % {"title": title}
    )
    said.append(
        _("Nichts wird gelöscht: Wenn Sie %(title)s wieder einschalten, ist alles wieder da.")
        % {"title": title}
    )
    return said
