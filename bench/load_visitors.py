"""The simulated visitors of ``bench/load.py``, run by Locust (headless).

200 citizens and 10 staff spread over the two demo towns. Every visitor has an
address of its own, reported by the load balancer in ``X-Forwarded-For`` as in
production (``TRUSTED_PROXIES=1``), so per-visitor limits count per visitor.
"""

import itertools
import os
import random
import re
from typing import Any

from locust import HttpUser, between, task

TOWNS = ["tangerhuette.localhost", "hohe-boerde.localhost"]
PASSWORD = "rathaus-demo"  # noqa: S105 (the demo logins, vendor/demo.py)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOPIC_INPUT = re.compile(r'<input[^>]*name="topics"[^>]*>')
VALUE = re.compile(r'value="(\d+)"')
_visitors = itertools.count(1)


class Visitor(HttpUser):
    abstract = True
    # A person reads a page before the next click: 200 of them ask for about 20 pages
    # a second, a busy hour of a town hall's site many times over.
    wait_time = between(5, 15)

    def on_start(self) -> None:
        number = next(_visitors)
        self.number = number
        self.town = TOWNS[number % len(TOWNS)]
        self.client.headers.update(
            {"Host": self.town, "X-Forwarded-For": f"198.51.{number // 250}.{number % 250 + 1}"}
        )

    def _form(self, path: str, name: str) -> str:
        page = self.client.get(path, name=name)
        token = CSRF.search(page.text)
        return token.group(1) if token else ""

    def _log_in(self, email: str) -> None:
        token = self._form("/accounts/login/", "login form")
        with self.client.post(
            "/accounts/login/",
            data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"login answered {answer.status_code}")


class Citizen(Visitor):
    weight = 20

    def on_start(self) -> None:
        super().on_start()
        services = self.client.get("/api/v1/appointments/services/", name="api services")
        self.pairs = [
            (service["id"], _id(location))
            for service in _results(services.json())
            for location in service.get("locations", [])
        ]

    @task(5)
    def home(self) -> None:
        self.client.get("/", name="home")

    @task(3)
    def search(self) -> None:
        term = random.choice(["Hund", "Ausweis", "Gewerbe", "Kita", "Termin"])
        self.client.get(f"/suche/?q={term}", name="search")

    @task(3)
    def free_slots(self) -> None:
        if self.pairs:
            service, location = random.choice(self.pairs)
            self.client.get(
                f"/api/v1/appointments/slots/?service={service}&location={location}&days=14",
                name="free slots",
            )

    @task(1)
    def book(self) -> None:
        if not self.pairs:
            return
        service, location = random.choice(self.pairs)
        slots = self.client.get(
            f"/api/v1/appointments/slots/?service={service}&location={location}&days=28",
            name="free slots",
        ).json()
        free = [slot for slot in _results(slots) if slot.get("start")]
        if not free:
            return
        with self.client.post(
            "/api/v1/appointments/bookings/",
            json={
                "service": service,
                "location": location,
                "start": random.choice(free)["start"],
                "name": f"Besucher {self.number}",
                "email": f"besucher-{self.number}-{random.randrange(10**6)}@example.org",
            },
            name="booking",
            catch_response=True,
        ) as answer:
            # Taken meanwhile by another visitor, or too many open bookings: the
            # booking's proper answer, not an error.
            if answer.status_code in (201, 409) or (
                answer.status_code == 400 and "code" in answer.text
            ):
                answer.success()
            else:
                answer.failure(f"booking answered {answer.status_code}: {answer.text[:200]}")

    @task(1)
    def subscribe_to_news(self) -> None:
        page = self.client.get("/news/", name="news").text
        token = CSRF.search(page)
        topics = [
            value.group(1) for tag in TOPIC_INPUT.findall(page) if (value := VALUE.search(tag))
        ]
        with self.client.post(
            "/news/subscribe/",
            data={
                "email": f"leser-{self.number}-{random.randrange(10**6)}@example.org",
                "topics": random.sample(topics, min(2, len(topics))),
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="news subscription",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code not in (200, 302):
                answer.failure(f"subscription answered {answer.status_code}")

    @task(1)
    def mein_rathaus(self) -> None:
        self._log_in(f"buerger@{self.town}")
        self.client.get("/accounts/", name="mein rathaus")
        self.client.cookies.clear()


class Staff(Visitor):
    fixed_count = int(os.environ.get("LOAD_STAFF", "10"))

    def on_start(self) -> None:
        super().on_start()
        self._log_in(f"admin@{self.town}")

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/staff/", name="staff dashboard")

    @task(2)
    def appointments(self) -> None:
        self.client.get("/staff/appointments/", name="staff appointments")

    @task(1)
    def audit_log(self) -> None:
        self.client.get("/staff/audit/", name="staff audit log")


def _results(page: Any) -> list[dict[str, Any]]:
    """A list answer, paged (``results``) or not."""
    if isinstance(page, dict):
        return list(page.get("results", []))
    return list(page)


def _id(location: Any) -> int:
    """A service's location, as an id or as an object with one."""
    return int(location["id"] if isinstance(location, dict) else location)
