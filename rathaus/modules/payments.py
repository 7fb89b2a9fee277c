"""Listeners that modules give the platform's payments port (``Module.payment_listener``).

A module names its ``Listener`` class by dotted path; it is registered under the
module's key, which is the ``owner`` of every payment the module asks for, so a
module hears only of its own payments.
"""

from django.utils.module_loading import import_string

from rathaus.modules.registry import Module, modules
from rathaus.platform.payments.registry import Listener, listeners


def module_payment_listener_register(*, module: type[Module], path: str) -> type[Listener]:
    """Registers the listener class at ``path`` for ``module``; returns it."""
    provided = import_string(path)
    if not (isinstance(provided, type) and issubclass(provided, Listener)):
        raise TypeError(f"{module.key}: {path} is no payments Listener class")
    listeners.register(module.key)(provided)
    return provided


def module_payment_listeners_register() -> None:
    """Every registered module's payment listener; called once the modules are known."""
    for module in modules:
        if module.payment_listener:
            module_payment_listener_register(module=module, path=module.payment_listener)
