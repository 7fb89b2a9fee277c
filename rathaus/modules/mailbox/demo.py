"""Demo content: nothing yet (a demo town's citizens get messages from the staff's pages)."""

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality


def demo_load(*, town: Municipality, actor: Actor) -> None:
    """Adds nothing for now; runs any number of times."""
