"""``/healthz`` reports the database, Redis and the worker on every host."""

import pytest
from django.test import Client, override_settings

from rathaus.tenants.models import Municipality

pytestmark = pytest.mark.worker


@pytest.mark.parametrize(
    "host", ["localhost", "tangerhuette.localhost", "10.0.0.7", "nirgendwo.example"]
)
def test_healthz_answers_200_with_every_part_up_on_any_host(
    host: str, town_a: Municipality, celery_worker: None
) -> None:
    response = Client(HTTP_HOST=host).get("/healthz")

    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response["Cache-Control"] == "no-store"


def test_the_vendor_host_reports_every_part_and_other_hosts_only_the_verdict(
    town_a: Municipality, celery_worker: None
) -> None:
    report = Client(HTTP_HOST="localhost").get("/healthz").json()
    assert {name: check["ok"] for name, check in report["checks"].items()} == {
        "database": True,
        "redis": True,
        "worker": True,
    }

    assert Client(HTTP_HOST="tangerhuette.localhost").get("/healthz").json() == {
        "ok": True,
        "status": "ok",
    }


@override_settings(ALLOWED_HOSTS=["localhost", ".localhost"])
def test_a_load_balancer_asking_by_ip_address_gets_the_verdict_where_hosts_are_checked(
    town_a: Municipality, celery_worker: None
) -> None:
    # Production checks hosts (ALLOWED_HOSTS); an ALB's health check asks with the
    # task's IP address, which is no allowed host, and must still get its answer.
    response = Client(HTTP_HOST="10.40.11.23:8000").get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"ok": True, "status": "ok"}


def test_healthz_says_degraded_and_names_redis_when_redis_is_down(
    town_a: Municipality, celery_worker: None
) -> None:
    # Nothing listens on port 1: a real refused connection, not a stand-in.
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0"):
        response = Client(HTTP_HOST="localhost").get("/healthz")

    # Still in service: pages answer from the database (tests/faults).
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    checks = response.json()["checks"]
    assert checks["redis"]["ok"] is False
    assert "Connection" in checks["redis"]["error"]
    assert checks["database"]["ok"] is True
    assert checks["worker"]["ok"] is True
