"""A running server follows a gate or a host changed by another process at its next answer,
also with its caches warm (the claim of docs/architecture.md, tested across processes)."""

from collections.abc import Iterator

import pytest
import requests
from django_tenants.utils import tenant_context

from rathaus.modules.selectors import module_activation
from rathaus.modules.services import module_allow, module_enable
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Domain, Municipality
from rathaus.tenants.services import domain_add

pytestmark = pytest.mark.e2e

ACTOR = Actor.system("test")


@pytest.fixture
def committed(
    live_towns: dict[str, Municipality], django_db_blocker: pytest.FixtureRequest
) -> Iterator[Municipality]:
    town = live_towns["a"]
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield town


def _get(port: int, path: str, host: str = "tangerhuette.localhost") -> requests.Response:
    return requests.get(f"http://127.0.0.1:{port}{path}", headers={"Host": host}, timeout=30)


def test_a_module_switched_off_elsewhere_is_gone_at_the_servers_next_answer(
    committed: Municipality, live_port: int
) -> None:
    with tenant_context(committed):
        before = module_activation(town=committed, key="news")
        was_allowed, was_enabled = before.allowed, before.enabled
    module_allow(town=committed, key="news", allowed=True, actor=ACTOR)
    module_enable(town=committed, key="news", enabled=True, actor=ACTOR)
    try:
        assert _get(live_port, "/news/").status_code == 200  # now cached by the server
        assert _get(live_port, "/news/").status_code == 200

        module_enable(town=committed, key="news", enabled=False, actor=ACTOR)

        assert _get(live_port, "/news/").status_code == 404
        module_enable(town=committed, key="news", enabled=True, actor=ACTOR)
        assert _get(live_port, "/news/").status_code == 200
    finally:
        module_enable(town=committed, key="news", enabled=was_enabled, actor=ACTOR)
        module_allow(town=committed, key="news", allowed=was_allowed, actor=ACTOR)


def test_a_domain_added_elsewhere_answers_at_once_and_a_removed_one_not_at_all(
    committed: Municipality, live_port: int
) -> None:
    host = "rathaus-across.tangerhuette.de"
    assert _get(live_port, "/", host=host).status_code == 404  # the miss is cached too

    domain_add(town=committed, domain=host)
    try:
        added = _get(live_port, "/", host=host)
    finally:
        Domain.objects.filter(domain=host).delete()

    assert added.status_code == 200
    assert "Tangerhütte" in added.text
    assert _get(live_port, "/", host=host).status_code == 404
