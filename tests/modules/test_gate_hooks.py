"""After the vendor's gate of a module changes, the module hears of it and so does anyone
listening to the framework's signals (billing); nothing when nothing changed."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction

from rathaus.modules.registry import Module, modules
from rathaus.modules.services import module_allow
from rathaus.modules.signals import module_allowed, module_withdrawn
from rathaus.tenants.db import tenant_connection
from rathaus.tenants.models import Municipality
from tests.modules.conftest import VENDOR

KEY = "contact"
Heard = list[tuple[str, Any, str]]


@pytest.fixture
def heard(monkeypatch: pytest.MonkeyPatch) -> Iterator[Heard]:
    """What the module's hooks (with the schema they ran in) and the signals' listeners heard."""
    events: Heard = []
    module = modules[KEY]

    def hook(name: str) -> Any:
        def record(cls: type[Module], *, town: Municipality) -> None:
            events.append((name, town.schema_name, tenant_connection.schema_name))

        return classmethod(record)

    monkeypatch.setattr(module, "on_allowed", hook("on_allowed"))
    monkeypatch.setattr(module, "on_withdrawn", hook("on_withdrawn"))

    def allowed(sender: type[Module], town: Municipality, key: str, **kw: Any) -> None:
        events.append(("module_allowed", town.schema_name, key))

    def withdrawn(sender: type[Module], town: Municipality, key: str, **kw: Any) -> None:
        events.append(("module_withdrawn", town.schema_name, key))

    module_allowed.connect(allowed, weak=False)
    module_withdrawn.connect(withdrawn, weak=False)
    yield events
    module_allowed.disconnect(allowed)
    module_withdrawn.disconnect(withdrawn)


Commit = Callable[..., Any]


def test_allowing_and_withdrawing_is_announced_once_after_the_commit(
    town_a: Municipality, heard: Heard, django_capture_on_commit_callbacks: Commit
) -> None:
    schema = town_a.schema_name
    with django_capture_on_commit_callbacks(execute=True):
        module_allow(town=town_a, key=KEY, allowed=True, actor=VENDOR)
        assert heard == []  # not before the commit

    assert heard == [("on_allowed", schema, schema), ("module_allowed", schema, KEY)]

    heard.clear()
    with django_capture_on_commit_callbacks(execute=True):
        module_allow(town=town_a, key=KEY, allowed=True, actor=VENDOR)
    assert heard == []  # already allowed: nothing changed

    with django_capture_on_commit_callbacks(execute=True):
        module_allow(town=town_a, key=KEY, allowed=False, actor=VENDOR)
        module_allow(town=town_a, key=KEY, allowed=False, actor=VENDOR)
    assert heard == [("on_withdrawn", schema, schema), ("module_withdrawn", schema, KEY)]


def test_withdrawing_what_was_never_allowed_announces_nothing(
    town_a: Municipality, heard: Heard, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        module_allow(town=town_a, key=KEY, allowed=False, actor=VENDOR)

    assert heard == []


def test_a_change_that_is_rolled_back_is_not_announced(
    town_a: Municipality, heard: Heard, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                module_allow(town=town_a, key=KEY, allowed=True, actor=VENDOR)
                raise RuntimeError("the vendor's larger change failed")
        except RuntimeError:
            pass

    assert callbacks == []
    assert heard == []


def test_a_failing_hook_neither_undoes_the_change_nor_silences_the_signal(
    town_a: Municipality,
    heard: Heard,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Commit,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(cls: type[Module], *, town: Municipality) -> None:
        raise RuntimeError("the module could not set itself up")

    monkeypatch.setattr(modules[KEY], "on_allowed", classmethod(broken))

    with django_capture_on_commit_callbacks(execute=True):
        row = module_allow(town=town_a, key=KEY, allowed=True, actor=VENDOR)

    assert row.allowed
    assert heard == [("module_allowed", town_a.schema_name, KEY)]
    assert "on_allowed of module contact failed for town_15090520" in caplog.text
