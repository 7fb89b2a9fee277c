"""Every registered module keeps the module contract; nothing here names a module.

Off for a town, a module is not there: its pages and API answer 404, it is in
no navigation, not in the town's OpenAPI schema, and beat sends the town none
of its periodic tasks. On, all of that is there. Its models are declared
personal or exempt; what it exports on a person is JSON, and erasing a person
leaves no row of a personal model naming them. Its demo content loads once.

The personal data comes from each module's tests: ``create_personal_data(user)``
in ``tests/modules/<key>/personal_data.py``.
"""

import importlib
import json
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import redis
from celery.beat import ScheduleEntry
from django.conf import settings
from django.db import connection, models
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone
from django_tenants.utils import tenant_context

from rathaus.config.beat import TownAwareScheduler
from rathaus.config.celery import app
from rathaus.modules.conformance import module_declaration_problems, module_models
from rathaus.modules.models import ModuleActivation
from rathaus.modules.registry import AccountSection, Module, module_beat_schedule, modules
from rathaus.modules.services import module_allow
from rathaus.platform.identity.models import User
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from tests.conftest import host_client
from tests.factories import PASSWORD, UserFactory
from tests.modules.conftest import VENDOR, switch_on
from tests.platform.staff.conftest import make_staff

OPENAPI = "application/vnd.oai.openapi+json"
BEAT_QUEUE = "beat-conformance"
ADMIN_EMAIL = "conformance-admin@example.org"
PERSON_EMAIL = "Conformance.Person@Example.org"


@pytest.fixture(params=list(modules), ids=lambda module: module.key)
def module(request: pytest.FixtureRequest) -> type[Module]:
    return request.param


# --- the module's URLs --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    surface: str  # "citizen", "staff" or "api"
    path: str
    has_arguments: bool


SAMPLE_ARGUMENTS: dict[str, object] = {
    "IntConverter": 1,
    "UUIDConverter": uuid.UUID(int=1),
}


def _patterns(urlconf: str) -> Iterator[URLPattern]:
    def walk(entries: list[Any]) -> Iterator[URLPattern]:
        for entry in entries:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns)
            elif isinstance(entry, URLPattern):
                yield entry

    yield from walk(importlib.import_module(urlconf).urlpatterns)


def module_routes(module: type[Module]) -> list[Route]:
    """Every named route of the module's citizen pages, staff pages and API, as a path
    (routes with arguments get sample values: they must be gated all the same)."""
    routes = []
    surfaces = [
        ("citizen", module.citizen_urls, module.key),
        ("staff", module.staff_urls, f"staff-{module.key}"),
        ("api", module.api_urls, f"api-{module.key}"),
    ]
    for surface, urlconf, namespace in surfaces:
        if urlconf is None:
            continue
        for pattern in _patterns(urlconf):
            if not pattern.name:
                continue
            converters = getattr(pattern.pattern, "converters", {})
            kwargs = {
                name: SAMPLE_ARGUMENTS.get(type(converter).__name__, "x")
                for name, converter in converters.items()
            }
            path = reverse(f"{namespace}:{pattern.name}", kwargs=kwargs)
            routes.append(Route(surface, path, bool(kwargs)))
    assert routes, f"module {module.key} has no routes"
    return routes


def _schema_paths(client: Client) -> list[str]:
    return list(client.get("/api/schema/", HTTP_ACCEPT=OPENAPI).json()["paths"])


def _nav_paths(module: type[Module], *, staff: bool) -> list[str]:
    return [
        reverse(f"{entry.namespace(module.key)}:{entry.url_name}")
        for entry in module.nav
        if entry.staff_only == staff
    ]


def _header(client: Client) -> str:
    return client.get("/").content.decode().split("</header>")[0]


@pytest.fixture
def others_on(town_a: Municipality, module: type[Module]) -> Municipality:
    """Every other module on in town A, so an absence is the module's own."""
    for other in modules:
        if other.key != module.key:
            switch_on(town_a, other.key)
    return town_a


@pytest.fixture
def admin_client(town_a: Municipality) -> Client:
    """A town admin of town A (who may work on every module), logged in."""
    make_staff(town_a, ADMIN_EMAIL, [TOWN_ADMIN])
    client = host_client(town_host(slug=town_a.slug))
    response = client.post("/accounts/login/", {"username": ADMIN_EMAIL, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_module_that_is_off_is_not_there(
    module: type[Module], others_on: Municipality, client_a: Client, admin_client: Client
) -> None:
    for route in module_routes(module):
        assert client_a.get(route.path).status_code == 404, route
        assert admin_client.get(route.path).status_code == 404, route

    prefix = f"/api/v1/{module.key}/"
    assert not [path for path in _schema_paths(client_a) if path.startswith(prefix)]
    page = client_a.get("/").content.decode()
    for path in _nav_paths(module, staff=False):
        assert f'href="{path}"' not in page
    dashboard = admin_client.get("/staff/").content.decode()
    for path in _nav_paths(module, staff=True):
        assert f'href="{path}"' not in dashboard


def _login_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# What a route may answer when it is there: a page (200), a login first, a form that
# takes POST only (405); an API also a missing parameter (400) or no login (401/403).
ANSWERS_ANONYMOUS: dict[str, Callable[[Any], bool]] = {
    "citizen": lambda r: r.status_code in (200, 405) or _login_redirect(r),
    "staff": _login_redirect,
    "api": lambda r: r.status_code in (200, 400, 401, 403, 405),
}
ANSWERS_ADMIN: dict[str, Callable[[Any], bool]] = {
    "citizen": lambda r: r.status_code in (200, 405),
    "staff": lambda r: r.status_code in (200, 405),
    "api": lambda r: r.status_code in (200, 400, 405),
}


def test_a_module_that_is_on_answers_and_shows(
    module: type[Module], town_a: Municipality, client_a: Client, admin_client: Client
) -> None:
    switch_on(town_a, module.key)

    for route in module_routes(module):
        if route.has_arguments:
            continue  # sample ids name nothing: a 404 would be the right answer
        anonymous = client_a.get(route.path)
        assert ANSWERS_ANONYMOUS[route.surface](anonymous), (route, anonymous.status_code)
        admin = admin_client.get(route.path)
        assert ANSWERS_ADMIN[route.surface](admin), (route, admin.status_code)

    if module.api_urls:
        prefix = f"/api/v1/{module.key}/"
        assert [path for path in _schema_paths(client_a) if path.startswith(prefix)]
    header = _header(client_a)
    for path in _nav_paths(module, staff=False):
        assert f'href="{path}"' in header
    dashboard = admin_client.get("/staff/").content.decode()
    for path in _nav_paths(module, staff=True):
        assert f'href="{path}"' in dashboard


# --- beat ----------------------------------------------------------------------------------


@pytest.fixture
def beat_messages() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Reads the headers of what beat put on a queue of its own in the real broker."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(BEAT_QUEUE)

    def drain() -> list[dict[str, Any]]:
        raw = broker.lrange(BEAT_QUEUE, 0, -1)
        broker.delete(BEAT_QUEUE)
        return [json.loads(message)["headers"] for message in raw]

    yield drain
    broker.delete(BEAT_QUEUE)


def _beat_once(module: type[Module]) -> None:
    schedule = {
        name: {**entry, "options": {**entry["options"], "queue": BEAT_QUEUE}}
        for name, entry in module_beat_schedule().items()
        if entry["options"]["headers"]["_module"] == module.key
    }
    scheduler = TownAwareScheduler(app=app, lazy=True)
    scheduler.merge_inplace(schedule)
    for entry in scheduler.schedule.values():
        assert isinstance(entry, ScheduleEntry)
        scheduler.apply_entry(entry)


def test_beat_sends_a_modules_periodic_tasks_only_where_it_is_on(
    module: type[Module],
    others_on: Municipality,
    town_b: Municipality,
    beat_messages: Callable[[], list[dict[str, Any]]],
) -> None:
    if not module.periodic_tasks:
        pytest.skip("the module has no periodic tasks")
    town_a = others_on
    tasks = sorted(spec["task"] for spec in module.periodic_tasks.values())

    _beat_once(module)
    assert beat_messages() == []

    switch_on(town_a, module.key)
    _beat_once(module)
    sent = beat_messages()
    assert sorted(h["task"] for h in sent) == tasks
    assert {h["_schema_name"] for h in sent} == {town_a.schema_name}

    module_allow(town=town_a, key=module.key, allowed=False, actor=VENDOR)
    _beat_once(module)
    assert beat_messages() == []


# --- personal data ----------------------------------------------------------------------------


def test_every_model_is_declared_personal_or_exempt_exactly_once(module: type[Module]) -> None:
    assert module_declaration_problems(module) == []
    declared = [*module.personal_models, *module.exempt_models]
    assert sorted(declared) == sorted(module_models(module))


def test_a_forgotten_or_unknown_model_is_named_by_the_check(module: type[Module]) -> None:
    forgotten = sorted(module_models(module))[:1]
    forgetful = type(
        "Forgetful",
        (module,),
        {
            "__module__": module.__module__,
            "personal_models": tuple(n for n in module.personal_models if n not in forgotten),
            "exempt_models": {
                **{n: r for n, r in module.exempt_models.items() if n not in forgotten},
                "Kegelbahn": "no such model",
            },
        },
    )

    problems = module_declaration_problems(forgetful)

    assert "Kegelbahn is declared but is no model of the module's app" in problems
    for name in forgotten:
        assert f"{name} is declared neither personal nor exempt" in problems


def _person_references(module: type[Module], user: User) -> dict[str, int]:
    """Rows of the module's personal models that name ``user``: by account or address."""
    found = {}
    for name in module.personal_models:
        model = module_models(module)[name]
        match = models.Q(pk__in=[])
        for field in model._meta.get_fields():
            if not field.concrete or field.many_to_many:
                continue
            if field.is_relation and field.related_model is User:
                match |= models.Q(**{field.attname: user.pk})
            elif isinstance(field, models.EmailField):
                match |= models.Q(**{f"{field.name}__iexact": user.email})
        count = model._default_manager.filter(match).count()
        if count:
            found[name] = count
    return found


def _person_rows(module: type[Module], user: User) -> dict[str, list[int]]:
    """Primary keys of the rows of the module's personal models that name ``user``."""
    rows = {}
    for name in module.personal_models:
        model = module_models(module)[name]
        match = models.Q(pk__in=[])
        for field in model._meta.get_fields():
            if not field.concrete or field.many_to_many:
                continue
            if field.is_relation and field.related_model is User:
                match |= models.Q(**{field.attname: user.pk})
            elif isinstance(field, models.EmailField):
                match |= models.Q(**{f"{field.name}__iexact": user.email})
        rows[name] = list(model._default_manager.filter(match).values_list("pk", flat=True))
    return rows


def _what_still_names(module: type[Module], rows: dict[str, list[int]], user: User) -> list[str]:
    """Every text field of those rows (kept after erasure) that still holds something of the
    person: the address, the name, the phone number."""
    traces = {
        value.strip().lower()
        for value in (user.email, user.first_name, user.last_name, str(user.phone or ""))
        if value.strip()
    }
    found = []
    for name, pks in rows.items():
        model = module_models(module)[name]
        texts = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model._default_manager.filter(pk__in=pks).values("pk", *texts):
            for field in texts:
                value = str(row[field] or "").lower()
                if any(trace in value for trace in traces):
                    found.append(f"{name} {row['pk']}.{field} = {row[field]!r}")
    return found


def _create_personal_data(module: type[Module]) -> Callable[[User], object]:
    where = f"tests.modules.{module.key}.personal_data"
    try:
        create = getattr(importlib.import_module(where), "create_personal_data", None)
    except ModuleNotFoundError as missing:
        if not where.startswith(str(missing.name)):
            raise  # the file is there but imports something that is not
        create = None
    if create is None:
        pytest.fail(
            f"module {module.key} keeps personal data ({', '.join(module.personal_models)}) but "
            f"its tests give none to check: add create_personal_data(user) to {where}"
        )
    return create


def test_personal_data_is_exported_as_json_and_erased_completely(
    module: type[Module], town_a: Municipality, town_b: Municipality
) -> None:
    switch_on(town_a, module.key)
    with tenant_context(town_a):
        # Proven addresses: what is kept under the address (a guest's booking) is theirs too.
        person = UserFactory.create(
            email=PERSON_EMAIL.lower(),
            first_name="Wilhelmine",
            last_name="Kesselbrink",
            email_verified_at=timezone.now(),
        )
        bystander = UserFactory.create(
            email="bystander@example.org", email_verified_at=timezone.now()
        )
    if not module.personal_models:
        with tenant_context(town_a):
            json.dumps(module.personal_data_export(user=person))
        return
    create = _create_personal_data(module)
    with tenant_context(town_b):  # the same address in another town
        other_town_person = UserFactory.create(
            email=PERSON_EMAIL.lower(), email_verified_at=timezone.now()
        )
        create(other_town_person)
        other_town_before = _person_references(module, other_town_person)
    with tenant_context(town_a):
        create(person)
        create(bystander)
        assert _person_references(module, person), "create_personal_data created nothing"
        bystander_before = _person_references(module, bystander)

        exported = module.personal_data_export(user=person)
        json.dumps(exported)  # the download is plain json.dumps
        assert exported
        rows = _person_rows(module, person)

        module.personal_data_erase(user=person)

        assert _person_references(module, person) == {}
        # Rows kept (e.g. a past booking, for the statistics) keep nothing of the person.
        assert _what_still_names(module, rows, person) == []
        assert _person_references(module, bystander) == bystander_before
    with tenant_context(town_b):
        assert _person_references(module, other_town_person) == other_town_before


def test_account_sections_link_to_the_modules_own_pages(
    module: type[Module], town_a: Municipality
) -> None:
    switch_on(town_a, module.key)
    with tenant_context(town_a):
        person = UserFactory.create()
        if module.personal_models:
            _create_personal_data(module)(person)
        sections = module.account_sections(user=person)
        for section in sections:
            assert isinstance(section, AccountSection)
            assert str(section.title)
            reverse(f"{module.key}:{section.url_name}")


# --- demo content and the offboarding export --------------------------------------------------


def _row_counts(town: Municipality) -> dict[str, int]:
    """Rows of every table of the town's schema, and the town's module rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = %s AND table_type = 'BASE TABLE' ORDER BY table_name",
            [town.schema_name],
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{town.schema_name}"."{table}"')  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    counts["public.modules_moduleactivation"] = ModuleActivation.objects.filter(town=town).count()
    return counts


def test_demo_content_loads_twice_without_adding_anything_the_second_time(
    module: type[Module], town_a: Municipality
) -> None:
    switch_on(town_a, module.key)
    with tenant_context(town_a):
        module.demo_load(town=town_a, actor=VENDOR)
        after_first = _row_counts(town_a)
        module.demo_load(town=town_a, actor=VENDOR)
        assert _row_counts(town_a) == after_first


def test_the_offboarding_export_is_plain_named_tables(
    module: type[Module], town_a: Municipality
) -> None:
    switch_on(town_a, module.key)
    with tenant_context(town_a):
        module.demo_load(town=town_a, actor=VENDOR)
        tables = module.town_export(town=town_a)
    json.dumps(tables)  # plain values: readable without Rathaus
    assert isinstance(tables, dict)
    for name, rows in tables.items():
        assert isinstance(name, str)
        assert isinstance(rows, list)
        assert all(isinstance(row, dict) for row in rows)
