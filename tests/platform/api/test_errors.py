"""Every API answers its errors in one JSON shape, naming each bad input by its path."""

from django.test import Client
from django.test.client import RequestFactory

from rathaus.platform.abuse.limits import UNKNOWN_CLIENT, client_address
from rathaus.tenants.models import Municipality
from tests.html import api_error_paths
from tests.modules.conftest import switch_on

NEWS = "/api/v1/news"


def test_a_bad_body_names_each_input_by_its_json_path(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "news")

    refused = client_a.post(
        f"{NEWS}/subscribe/", {"email": "kein-at", "topics": []}, content_type="application/json"
    )

    assert refused.status_code == 400
    assert refused.json()["detail"] == "Die Angaben sind nicht gültig."
    assert set(api_error_paths(refused)) == {"$.email", "$.topics"}


def test_a_nul_character_is_a_bad_request_not_a_server_error(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "news")

    refused = client_a.post(
        f"{NEWS}/subscribe/",
        {"email": "a@example.org", "topics": ["bau\x00stellen"]},
        content_type="application/json",
    )

    assert refused.status_code == 400
    assert refused.json() == {
        "code": "parse_error",
        "detail": "$.topics[0] enthält ein Nullzeichen (U+0000).",
    }


def test_a_form_body_is_refused_where_the_api_reads_json(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "news")

    refused = client_a.post(f"{NEWS}/subscribe/", {"email": "a@example.org"})

    assert refused.status_code == 415
    assert refused.json()["code"] == "unsupported_media_type"


def test_an_unknown_api_path_answers_json_and_a_page_html(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "appointments")

    api = client_a.get("/api/v1/appointments/staff/bookings/kein-uuid/cancel/")
    page = client_a.get("/gibt-es-nicht/")

    assert api.status_code == 404
    assert api.json() == {"code": "not_found", "detail": "Das gibt es hier nicht."}
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_a_query_parameter_given_twice_or_empty_is_refused(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "appointments")

    twice = client_a.get("/api/v1/appointments/locations/?service=1&service=2")
    empty = client_a.get("/api/v1/appointments/locations/?service=")

    assert twice.status_code == 400
    assert api_error_paths(twice) == {
        "$.service": "Dieser Parameter darf nur einmal angegeben werden."
    }
    assert empty.status_code == 400
    assert "$.service" in api_error_paths(empty)


def test_an_unknown_client_address_is_counted_as_one_not_a_server_error(
    client_a: Client, town_a: Municipality
) -> None:
    # gunicorn on a Unix socket leaves REMOTE_ADDR empty.
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="")) == UNKNOWN_CLIENT
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="10.0.0.7")) == "10.0.0.7"
    switch_on(town_a, "appointments")

    answer = client_a.post(
        "/api/v1/appointments/bookings/",
        {"service": 1, "location": 1, "start": "2030-01-01T10:00:00Z"},
        content_type="application/json",
        REMOTE_ADDR="",
    )

    assert answer.status_code == 400
