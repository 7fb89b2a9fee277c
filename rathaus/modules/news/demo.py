"""Sample content of a demo town: three topics people subscribe to."""

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from .models import Topic
from .services import topic_create

TOPICS = ["Freibad", "Baustellen und Verkehr", "Abfall und Entsorgung"]


def demo_load(*, town: Municipality, actor: Actor) -> None:
    for name in TOPICS:
        if not Topic.objects.filter(name=name).exists():
            topic_create(town=town, name=name, actor=actor)
