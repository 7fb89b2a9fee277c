"""The module framework's signals, and the receiver that keeps the active-modules cache true.

``module_allowed`` and ``module_withdrawn`` are sent after the vendor's gate of
a module changed for a town and the change is committed (``module_allow``),
with ``sender`` the module's class and the arguments ``town`` and ``key``. Layers
above (billing) listen to them without the framework knowing them.

A town's cached set of active modules is dropped whenever one of its rows
changes: at once and again after commit, so every worker sees the change on its
next request and no request can re-cache the state from before the commit.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from rathaus.modules.models import ModuleActivation
from rathaus.modules.selectors import forget_active_modules

module_allowed = Signal()
module_withdrawn = Signal()


@receiver([post_save, post_delete], sender=ModuleActivation)
def activation_changed(
    sender: type[ModuleActivation], instance: ModuleActivation, **kw: Any
) -> None:
    town_id = instance.town_id
    forget_active_modules(town_id=town_id)
    transaction.on_commit(lambda: forget_active_modules(town_id=town_id))
