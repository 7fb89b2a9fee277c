"""Celery tasks run in the schema of the town that sent them (real worker, real Redis)."""

from typing import Any

import pytest
from django_tenants.utils import schema_context, tenant_context

from rathaus.platform.health.tasks import current_town
from rathaus.tenants.models import Municipality
from rathaus.tenants.town_tasks import queue_on_commit

pytestmark = pytest.mark.worker


def test_a_task_sent_by_a_town_runs_in_that_towns_schema(
    live_towns: dict[str, Municipality], celery_worker: None
) -> None:
    results = {}
    for key, town in live_towns.items():
        with tenant_context(town):
            results[key] = current_town.delay()

    assert results["a"].get(timeout=30) == {"schema": "town_15090520", "town": "tangerhuette"}
    assert results["b"].get(timeout=30) == {"schema": "town_15083298", "town": "hohe-boerde"}


def test_a_task_sent_outside_any_town_runs_in_the_public_schema(
    live_towns: dict[str, Municipality], celery_worker: None
) -> None:
    with schema_context("public"):
        result = current_town.delay()

    assert result.get(timeout=30) == {"schema": "public", "town": ""}


def test_a_suspended_town_does_no_work_queued_before_its_suspension(
    live_towns: dict[str, Municipality],
    celery_worker: None,
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    town = live_towns["a"]
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        Municipality.objects.filter(pk=town.pk).update(status=Municipality.Status.SUSPENDED)
    try:
        with tenant_context(town):
            result = current_town.delay()
        assert result.get(timeout=30) is None
    finally:
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            Municipality.objects.filter(pk=town.pk).update(status=Municipality.Status.ACTIVE)

    with tenant_context(town):
        assert current_town.delay().get(timeout=30) == {
            "schema": "town_15090520",
            "town": "tangerhuette",
        }


def test_a_task_queued_for_the_commit_runs_in_the_town_that_queued_it(
    db: None,
    live_towns: dict[str, Municipality],
    celery_worker: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    sent: list[Any] = []

    class Sender:
        """Hands the task on to Celery and keeps its result."""

        def apply_async(self, **options: Any) -> None:
            sent.append(current_town.apply_async(**options))

    # The town's context ends first, then the commit runs the callbacks:
    # the caller has left the town's schema by the time the task is sent.
    with django_capture_on_commit_callbacks(execute=True), tenant_context(live_towns["a"]):
        queue_on_commit(Sender())

    assert sent[0].get(timeout=30) == {"schema": "town_15090520", "town": "tangerhuette"}
