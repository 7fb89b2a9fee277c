"""Every operation of a town's API and of the vendor API, fuzzed with Schemathesis.

The operations come from the published OpenAPI schemas themselves (a town's with
every module switched on), so a new module's API is fuzzed the moment it is mounted.
Each operation gets generated requests, valid ones and invalid ones, sent as
anonymous, as a citizen of the town (an app's bearer token with every scope) and as
its administrator (a browser session with its CSRF token); the vendor API as
anonymous and with a vendor token. Every answer is checked by Schemathesis: never a
5xx, only documented status codes and content types, bodies that match the schema,
valid input accepted and invalid input refused. Whatever the requests do on town A,
town B's tables keep their rows.

Requests go in-process to Django's WSGI handler, inside the test's transaction, so
what the fuzzer writes is rolled back with the test. The number of examples per
operation is bounded (``EXAMPLES``): the whole file takes a few minutes.
"""

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django_tenants.utils import tenant_context
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err
from schemathesis.specs.openapi.checks import positive_data_acceptance

from rathaus.modules.registry import modules
from rathaus.platform.identity.models import User
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.platform.staff.services import staff_add
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import town_host
from rathaus.vendor.vendor_tokens import vendor_token_create
from tests.factories import PASSWORD, UserFactory
from tests.modules.appointments.conftest import SYSTEM
from tests.modules.conftest import switch_on
from tests.security.helpers import app_token, row_counts, session_cookie

pytestmark = pytest.mark.django_db

EXAMPLES = 12
# Not checked: that every schema-valid request is accepted. Valid input can still name
# what does not exist (a topic's slug) or break a business rule (a guest books without
# an e-mail address); those answers are the documented 400 with `invalid`.
VENDOR_HOST = "localhost"
# Operations a vendor token is not fuzzed on, each with its reason.
VENDOR_SKIPPED = {
    # Each example would onboard a town: a schema per example in one transaction
    # (tests/vendor/test_onboarding.py and test_rollout.py cover onboarding).
    ("POST", "/api/vendor/v1/towns/"),
}


@dataclass
class Identity:
    name: str
    headers: dict[str, str]


@contextmanager
def in_process() -> Iterator[WSGIHandler]:
    """Django's WSGI handler on the test's connection and transaction.

    As Django's test client does, the handler must not close "old" connections at a
    request's start and end (inside the test's transaction, that would be this one).
    The test client reconnects those handlers after each of its requests, so no
    test client may run inside this block.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _town_identities(town: Municipality) -> list[Identity]:
    with tenant_context(town):
        citizen: User = UserFactory(email="fuzz-buerger@example.org")  # type: ignore[assignment]
        admin = staff_add(
            town=town, email="fuzz-admin@example.org", roles=[TOWN_ADMIN], actor=SYSTEM
        )
        admin.set_password(PASSWORD)
        admin.save()
    csrf = secrets.token_hex(16)  # 32 characters: a CSRF secret, sent as cookie and header
    session = session_cookie(town, "fuzz-admin@example.org")
    return [
        Identity("anonymous", {}),
        Identity("citizen", {"Authorization": f"Bearer {app_token(town, citizen)}"}),
        Identity(
            "admin",
            {
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
            },
        ),
    ]


def operations_of(schema: Any) -> list[Any]:
    """Every operation of ``schema``; one Schemathesis cannot read fails the test."""
    operations = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            pytest.fail(f"the schema has an operation Schemathesis cannot read: {result.err()}")
        operations.append(result.ok())
    return operations


def fuzz(
    schema: Any,
    *,
    host: str,
    identity: Identity,
    skip: Callable[[str, str], bool] = lambda method, path: False,
) -> tuple[int, list[str]]:
    """Run every operation of ``schema`` on ``host``; the operations run and each failure."""
    failures: list[str] = []
    operations = 0
    for operation in operations_of(schema):
        if skip(operation.method.upper(), operation.path):
            continue
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @hypothesis_settings(
                max_examples=EXAMPLES,
                deadline=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
                database=None,
            )
            def run(case: Any) -> None:
                case.call_and_validate(
                    base_url=f"http://{host}",
                    headers=identity.headers,
                    excluded_checks=[positive_data_acceptance],
                )

            try:
                run()
            except Unsatisfiable:
                pass  # nothing of this operation can be made invalid (no parameters, no body)
            except (Exception, BaseExceptionGroup) as exc:  # every finding, not the first
                failures.append(
                    f"{operation.method.upper()} {operation.path} as {identity.name} "
                    f"({mode.value}):\n{exc}"
                )
    return operations, failures


def test_every_town_api_operation_holds_against_the_fuzzer(
    town_a: Municipality, town_b: Municipality
) -> None:
    for module in modules:
        switch_on(town_a, module.key)
    host = town_host(slug=town_a.slug)
    identities = _town_identities(town_a)
    others_before = row_counts(town_b.schema_name)
    failures: list[str] = []

    with in_process() as app:
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", app, headers={"Host": host}
        )
        for identity in identities:
            operations, found = fuzz(schema, host=host, identity=identity)
            failures += found

    assert operations >= 20, "the schema lost operations"
    for module in modules:
        if module.api_urls:
            assert any(
                op.path.startswith(f"/api/v1/{module.key}/") for op in operations_of(schema)
            ), f"the {module.key} API is not in the town's schema"
    assert not failures, "\n\n".join(failures)
    others_after = row_counts(town_b.schema_name)
    changed = {
        t: (n, others_after.get(t)) for t, n in others_before.items() if others_after.get(t) != n
    }
    assert not changed, f"fuzzing town A's API changed town B's tables: {changed}"


def test_every_vendor_api_operation_holds_against_the_fuzzer(db: None) -> None:
    vendor: User = UserFactory(email="fuzz-vendor@example.org", is_staff=True)  # type: ignore[assignment]
    token = vendor_token_create(user=vendor, name="fuzz")
    token_header = {"Authorization": f"Bearer {token}"}
    failures: list[str] = []

    with in_process() as app:
        schema = schemathesis.openapi.from_wsgi(
            "/api/schema/?format=json", app, headers={"Host": VENDOR_HOST, **token_header}
        )
        anonymous_ops, found = fuzz(schema, host=VENDOR_HOST, identity=Identity("anonymous", {}))
        failures += found
        _, found = fuzz(
            schema,
            host=VENDOR_HOST,
            identity=Identity("vendor", token_header),
            skip=lambda method, path: (method, path) in VENDOR_SKIPPED,
        )
        failures += found

    assert anonymous_ops >= 8, "the vendor schema lost operations"
    assert not failures, "\n\n".join(failures)
