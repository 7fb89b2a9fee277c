"""Drops a town's cached set of active modules whenever one of its rows changes.

Dropped at once and again after commit, so every worker sees the change on its
next request and no request can re-cache the state from before the commit.
"""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from rathaus.modules.models import ModuleActivation
from rathaus.modules.selectors import forget_active_modules


@receiver([post_save, post_delete], sender=ModuleActivation)
def activation_changed(
    sender: type[ModuleActivation], instance: ModuleActivation, **kw: Any
) -> None:
    town_id = instance.town_id
    forget_active_modules(town_id=town_id)
    transaction.on_commit(lambda: forget_active_modules(town_id=town_id))
