"""Channels that modules provide to the platform's outbox (``Module.channels``).

A module names its ``Channel`` classes by dotted path; each is registered under
its class attribute ``key`` and reaches only the towns where its module is
active: there the channel answers ``is_available`` as it would itself, elsewhere
it is unavailable (enqueueing over it fails, a row already written is not sent).
"""

from django.utils.module_loading import import_string

from rathaus.modules.registry import Module, modules
from rathaus.modules.selectors import module_is_active
from rathaus.platform.messaging.registry import Channel, channels
from rathaus.tenants.models import Municipality


def module_channel_register(*, module: type[Module], path: str) -> type[Channel]:
    """Registers the channel class at ``path`` for ``module``; returns the registered class."""
    provided = import_string(path)
    if not (isinstance(provided, type) and issubclass(provided, Channel)):
        raise TypeError(f"{module.key}: {path} is no Channel class")
    key = str(getattr(provided, "key", "") or "")
    if not key:
        raise ValueError(f"{module.key}: channel {path} names no key (class attribute ``key``)")
    module_key = module.key

    class ModuleChannel(provided):  # type: ignore[valid-type, misc]
        def is_available(self, *, town: Municipality) -> bool:
            return module_is_active(town=town, key=module_key) and super().is_available(town=town)

    ModuleChannel.__name__ = ModuleChannel.__qualname__ = provided.__name__
    ModuleChannel.__module__ = provided.__module__
    channels.register(key)(ModuleChannel)
    return ModuleChannel


def module_channels_register() -> None:
    """Every registered module's channels; called once the modules are known."""
    for module in modules:
        for path in module.channels:
            module_channel_register(module=module, path=path)
