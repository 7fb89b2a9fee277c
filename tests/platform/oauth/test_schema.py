"""The town's OpenAPI schema describes the app login and which scope each operation needs."""

from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import validate

from rathaus.tenants.models import Municipality
from tests.modules.conftest import switch_on

OPENAPI = "application/vnd.oai.openapi+json"


@pytest.fixture
def schema(client_a: Client, town_a: Municipality) -> dict[str, Any]:
    switch_on(town_a, "appointments")
    switch_on(town_a, "news")
    response = client_a.get("/api/schema/", HTTP_ACCEPT=OPENAPI)
    assert response.status_code == 200
    return dict(response.json())


def test_the_schema_names_the_oauth2_flow_with_its_scopes_and_still_validates(
    schema: dict[str, Any],
) -> None:
    validate(schema)

    scheme = schema["components"]["securitySchemes"]["oauth2"]
    flow = scheme["flows"]["authorizationCode"]
    assert flow["authorizationUrl"] == "/oauth/authorize/"
    assert flow["tokenUrl"] == "/oauth/token/"
    assert flow["scopes"]["appointments:read"] == "Ihre gebuchten Termine sehen"
    assert set(flow["scopes"]) >= {"news:write", "applications:read", "mailbox:read"}


def test_each_operation_names_the_scope_it_needs(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    bookings = paths["/api/v1/appointments/bookings/"]

    assert {"oauth2": ["appointments:read"]} in bookings["get"]["security"]
    assert {"oauth2": ["appointments:write"]} in bookings["post"]["security"]
    assert {"oauth2": ["news:write"]} in paths["/api/v1/news/subscription/"]["put"]["security"]
    staff = paths["/api/v1/appointments/staff/locations/{location_id}/bookings/"]["get"]
    assert not any("oauth2" in requirement for requirement in staff["security"])
