import pytest

from rathaus.modules.services import module_allow, module_enable
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

VENDOR = Actor.system("vendor-test")


def switch_on(town: Municipality, key: str) -> None:
    module_allow(town=town, key=key, allowed=True, actor=VENDOR)
    module_enable(town=town, key=key, enabled=True, actor=VENDOR)


@pytest.fixture
def contact_on_in_a(town_a: Municipality) -> Municipality:
    switch_on(town_a, "contact")
    return town_a
