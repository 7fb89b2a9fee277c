"""Beat sends a town's periodic work once per active town, and platform work once."""

import json
from collections.abc import Iterator

import pytest
import redis
from celery.beat import ScheduleEntry
from django.conf import settings

from rathaus.config.beat import TownAwareScheduler, beat_schedule_with_modules
from rathaus.config.celery import app
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import municipality_update

QUEUE = "beat-test"


@pytest.fixture
def sent_messages() -> Iterator[list[dict[str, object]]]:
    """Headers of the messages beat put on a queue of its own in the real broker."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(QUEUE)
    messages: list[dict[str, object]] = []
    yield messages
    broker.delete(QUEUE)


def _drain(into: list[dict[str, object]]) -> list[dict[str, object]]:
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    for raw in broker.lrange(QUEUE, 0, -1):
        into.append(json.loads(raw)["headers"])
    return into


def _run(schedule: dict[str, dict[str, object]]) -> None:
    scheduler = TownAwareScheduler(app=app, lazy=True)
    scheduler.merge_inplace(schedule)
    for entry in scheduler.schedule.values():
        assert isinstance(entry, ScheduleEntry)
        scheduler.apply_entry(entry)


def test_a_town_entry_is_sent_once_to_each_active_town_and_not_to_a_suspended_one(
    town_a: Municipality, town_b: Municipality, sent_messages: list[dict[str, object]]
) -> None:
    municipality_update(town=town_b, status=Municipality.Status.SUSPENDED)

    _run({"remind": {"task": "platform.current_town", "schedule": 60, "options": {"queue": QUEUE}}})

    assert [h["_schema_name"] for h in _drain(sent_messages)] == ["town_15090520"]


def test_a_platform_entry_is_sent_once_in_the_public_schema(
    town_a: Municipality, town_b: Municipality, sent_messages: list[dict[str, object]]
) -> None:
    _run(
        {
            "heartbeat": {
                "task": "platform.heartbeat",
                "schedule": 30,
                "options": {"queue": QUEUE},
                "tenant_schemas": ["public"],
            }
        }
    )

    headers = _drain(sent_messages)
    assert len(headers) == 1
    assert headers[0]["task"] == "platform.heartbeat"
    assert headers[0]["_schema_name"] == "public"


def test_a_modules_periodic_task_goes_only_to_towns_where_the_module_is_on(
    town_a: Municipality, town_b: Municipality, sent_messages: list[dict[str, object]]
) -> None:
    from tests.modules.conftest import switch_on

    switch_on(town_b, "contact")

    _run(
        {
            "contact.tidy": {
                "task": "platform.current_town",
                "schedule": 60,
                "options": {"queue": QUEUE, "headers": {"_module": "contact"}},
            }
        }
    )

    assert [h["_schema_name"] for h in _drain(sent_messages)] == ["town_15083298"]


def test_modules_bring_their_own_periodic_tasks_into_the_beat_schedule() -> None:
    schedule = beat_schedule_with_modules(settings.CELERY_BEAT_SCHEDULE)

    assert schedule["appointments.reminders"]["task"] == "appointments.send_reminders"
    assert schedule["news.publish-due"]["options"]["headers"]["_module"] == "news"
    assert "platform-heartbeat" in schedule
