"""What the demo towns show: every service switched on, with the sample content each
module brings itself (``Module.demo_load``)."""

from django.db import transaction
from django_tenants.utils import schema_context

from rathaus.modules.registry import modules
from rathaus.modules.services import modules_set_up_for_new_town
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality


def demo_content_load(*, town: Municipality, actor: Actor) -> None:
    """Switches every module on for ``town`` and adds sample content, once (idempotent)."""
    modules_set_up_for_new_town(town=town, keys=modules.keys(), actor=actor)
    with schema_context(town.schema_name):
        for module in modules:
            # All of a module's sample content or none: a half-made set would stay half
            # made, since a module's loader skips what it finds.
            with transaction.atomic():
                module.demo_load(town=town, actor=actor)
