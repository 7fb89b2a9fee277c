"""Every route of a town's host, tried with another town's people, links and ids.

The routes come from the town URLconf itself (pages, back office, federation,
files and every module's pages and API, with every module switched on), so a
new route is in the matrix the moment it is mounted. Each route is requested
with GET and POST on town B's host:

- anonymously,
- with the session cookie of a citizen of town A,
- with the session cookie of town A's administrator (all rights),
- on the API's routes, with a bearer token of an app of town A (every scope),

and its path parameters filled with town A's ids, uuids, slugs, file names
and tokens minted in town A (booking, confirmation, newsletter, private file,
support access, password reset). Whatever the answer, it is never a 5xx,
never shows any of town A's data, and town A's schema is not changed by it
(the row count of each of its tables stays the same).
"""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tenants.utils import tenant_context

from rathaus.modules.appointments import tokens as appointment_tokens
from rathaus.modules.appointments.models import Booking
from rathaus.modules.appointments.services import Citizen, appointment_book
from rathaus.modules.news import tokens as news_tokens
from rathaus.modules.registry import modules
from rathaus.platform.identity.models import User
from rathaus.platform.identity.tokens import password_token_generator
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_add
from rathaus.platform.staff.support import support_token_issue
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.readers import Account
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.factories import PASSWORD, UserFactory
from tests.modules.appointments.conftest import SYSTEM, at, open_day, set_up_office
from tests.modules.conftest import switch_on
from tests.security.helpers import app_token, row_counts, session_cookie

SECRET = "Geheim-A-7f3c"  # in town A's location, service and people; never on B's host


def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(route, pattern)`` for every endpoint below ``patterns``, depth first."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + _text(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + _text(pattern.pattern), pattern


def _text(pattern: Any) -> str:
    if isinstance(pattern, RegexPattern):
        return str(pattern).lstrip("^").rstrip("$")
    assert isinstance(pattern, RoutePattern), pattern
    return str(pattern)


def town_routes() -> list[str]:
    return sorted({route for route, _ in walk(get_resolver(settings.ROOT_URLCONF).url_patterns)})


PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>|\(\?P<(?P<group>\w+)>[^)]*\)")


@dataclass
class Victim:
    """Town A and what only it may show: its people, a booking and links minted there."""

    town: Municipality
    booking: Booking
    values: dict[str, list[str]]  # a path parameter's name or converter -> A's values


def _victim(town_a: Municipality) -> Victim:
    office = set_up_office(town_a, name=f"Standort {SECRET}")
    with tenant_context(town_a):
        office.service.name = f"Dienst {SECRET}"
        office.service.save()
        citizen: User = UserFactory(email="buergerin-a@example.org", last_name=SECRET)  # type: ignore[assignment]
        admin = staff_add(
            town=town_a, email="admin-a@example.org", roles=[TOWN_ADMIN], actor=SYSTEM
        )
        admin.set_password(PASSWORD)
        admin.last_name = SECRET
        admin.save()
        booking = appointment_book(
            town=town_a,
            service=office.service,
            location=office.location,
            start=at(open_day(town_a), 10),
            citizen=Citizen(f"Erika {SECRET}", "termin-a@example.org"),
        )
        file_token = (
            private_file_link(
                town=town_a, name=f"{town_a.schema_name}/a.pdf", readers=[Account(citizen.pk)]
            )
            .rstrip("/")
            .rsplit("/", 1)[-1]
        )
        tokens = [
            appointment_tokens.manage_token(booking),
            appointment_tokens.confirm_token(booking),
            news_tokens.confirm_token(email="news-a@example.org", topic_ids=[1]),
            news_tokens.unsubscribe_token(subscriber_id=1, town=town_a),
            file_token,
            support_token_issue(town=town_a, vendor_email="support@example.org", reason="x"),
            password_token_generator.make_token(citizen),
            default_token_generator.make_token(citizen),
        ]
        ids = sorted({str(pk) for pk in (office.location.pk, office.service.pk, citizen.pk, 1)})
    return Victim(
        town=town_a,
        booking=booking,
        values={
            "int": ids,
            "uuid": [str(booking.uuid), str(uuid.uuid4())],
            "slug": ["personalausweis-beantragen", "a"],
            "token": tokens,
            "uidb64": [urlsafe_base64_encode(force_bytes(citizen.pk))],
            "key": [m.key for m in modules],
            "protocol": ["oidc", "saml"],
            "choice": ["oidc", "saml"],
            "path": [f"{town_a.schema_name}/branding/logo.png", "a/../../etc/passwd"],
            "str": ["1"],
        },
    )


def concrete_paths(route: str, values: dict[str, list[str]]) -> list[str]:
    """The route with its parameters filled, one path per value of its richest parameter."""
    found = [
        (m.group("name") or m.group("group"), m.group("converter"))
        for m in PARAMETER.finditer(route)
    ]
    if not found:
        return ["/" + route]
    choices = [
        values.get(name) or values.get(converter or "str") or values["str"]
        for name, converter in found
    ]
    paths = []
    for i in range(max(len(c) for c in choices)):
        filled = iter([c[i % len(c)] for c in choices])
        paths.append("/" + PARAMETER.sub(lambda _m, f=filled: next(f), route))  # type: ignore[misc]
    return paths


def test_the_matrix_covers_every_route_of_the_town_urlconf() -> None:
    routes = town_routes()

    assert len(routes) > 100
    for module in modules:
        assert any(r.startswith(f"{module.key}/") or f"/{module.key}/" in r for r in routes)
    assert "files/<str:token>/" in routes
    assert "api/v1/appointments/bookings/<str:token>/cancel/" in routes


def test_no_route_on_town_bs_host_shows_or_changes_town_as_data(
    town_a: Municipality, town_b: Municipality
) -> None:
    for module in modules:
        switch_on(town_a, module.key)
        switch_on(town_b, module.key)
    set_up_office(town_b, name="Bürgerbüro Irxleben")
    victim = _victim(town_a)
    identities: dict[str, str | None] = {
        "anonymous": None,
        "citizen of A": session_cookie(town_a, "buergerin-a@example.org"),
        "admin of A": session_cookie(town_a, "admin-a@example.org"),
    }
    with tenant_context(town_a):
        citizen = User.objects.get(email="buergerin-a@example.org")
    bearer = f"Bearer {app_token(town_a, citizen)}"
    secrets = [
        SECRET,
        "buergerin-a@example.org",
        "admin-a@example.org",
        "termin-a@example.org",
        victim.booking.reference,
    ]
    # The control: on town A's own host the same cookies and links do show A's data,
    # so the checks below would notice a leak.
    own = Client(HTTP_HOST=town_host(slug=town_a.slug))
    own.cookies[settings.SESSION_COOKIE_NAME] = str(identities["admin of A"])
    assert SECRET in own.get("/staff/team/").content.decode()
    manage = appointment_tokens.manage_token(victim.booking)
    assert SECRET in own.get(f"/appointments/termin/{manage}/").content.decode()
    app = Client(HTTP_HOST=town_host(slug=town_a.slug), HTTP_AUTHORIZATION=bearer)
    assert app.get("/api/v1/mailbox/messages/").status_code == 200
    before = row_counts(victim.town.schema_name)
    b_host = town_host(slug=town_b.slug)
    failures: list[str] = []
    requests = 0

    for route in town_routes():
        for path in concrete_paths(route, victim.values):
            callers = list(identities.items())
            if route.startswith("api/"):
                callers.append(("app token of A", None))
            for who, cookie in callers:
                for method in ("get", "post"):
                    client = Client(HTTP_HOST=b_host)
                    if cookie is not None:
                        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
                    if who == "app token of A":
                        client.defaults["HTTP_AUTHORIZATION"] = bearer
                    response = getattr(client, method)(path)
                    requests += 1
                    body = b"".join(response) if response.streaming else response.content
                    text = body.decode("utf-8", "replace")
                    where = f"{method.upper()} {path} as {who} -> {response.status_code}"
                    if response.status_code >= 500:
                        failures.append(f"{where}: server error")
                    shown = [s for s in secrets if s in text]
                    if shown:
                        failures.append(f"{where}: shows town A's {shown}")

    assert not failures, "\n".join(failures)
    assert requests > 600
    after = row_counts(victim.town.schema_name)
    changed = {t: (before[t], after.get(t)) for t in before if after.get(t) != before[t]}
    assert not changed, f"requests on town B's host changed town A's tables: {changed}"
    with tenant_context(victim.town):
        victim.booking.refresh_from_db()
        assert victim.booking.status == Booking.Status.PENDING
