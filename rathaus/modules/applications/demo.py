"""Sample content of a demo town: the form "Hund anmelden", published."""

from pathlib import Path

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from .models import Form
from .services import form_import, version_publish

DEMO_FORMS = [Path(__file__).parent / "demo" / "hund-anmelden.json"]


def demo_load(*, town: Municipality, actor: Actor) -> None:
    for path in DEMO_FORMS:
        if Form.objects.filter(slug=path.stem).exists():
            continue
        version = form_import(town=town, raw=path.read_bytes(), actor=actor)
        version_publish(town=town, version=version, actor=actor)
