"""The town comes from the host name, from a cache that follows every domain change at once."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Domain, Municipality
from rathaus.tenants.services import domain_add, municipality_update
from rathaus.vendor.lifecycle import town_rename


def test_a_warm_cache_resolves_the_town_without_a_database_query(client_a: Client) -> None:
    client_a.get("/")  # warms the cache

    with CaptureQueriesContext(connection) as queries:
        response = client_a.get("/")

    assert response.status_code == 200
    assert not any(Domain._meta.db_table in q["sql"] for q in queries.captured_queries)


def test_a_new_custom_domain_answers_on_the_next_request(town_a: Municipality) -> None:
    visitor = Client(HTTP_HOST="tangerhuette.de")
    assert visitor.get("/").status_code == 404  # remembered as unknown

    domain_add(town=town_a, domain="tangerhuette.de")

    response = visitor.get("/")
    assert response.status_code == 200
    assert "Tangerhütte" in response.content.decode()


def test_a_removed_domain_stops_answering_at_once(town_a: Municipality) -> None:
    domain = domain_add(town=town_a, domain="rathaus.tangerhuette.de")
    visitor = Client(HTTP_HOST="rathaus.tangerhuette.de")
    assert visitor.get("/").status_code == 200

    domain.delete()

    assert visitor.get("/").status_code == 404


def test_a_domain_moved_to_another_host_name_frees_the_old_one(town_a: Municipality) -> None:
    domain = domain_add(town=town_a, domain="alt.tangerhuette.de")
    assert Client(HTTP_HOST="alt.tangerhuette.de").get("/").status_code == 200

    domain.domain = "neu.tangerhuette.de"
    domain.save()

    assert Client(HTTP_HOST="alt.tangerhuette.de").get("/").status_code == 404
    assert Client(HTTP_HOST="neu.tangerhuette.de").get("/").status_code == 200


def test_a_renamed_town_shows_its_new_name_on_the_next_request(
    client_a: Client, town_a: Municipality
) -> None:
    client_a.get("/")

    municipality_update(town=town_a, name="Stadt Tangerhütte")

    assert "Stadt Tangerhütte" in client_a.get("/").content.decode()


def test_host_names_are_matched_case_insensitively(client_a: Client) -> None:
    assert Client(HTTP_HOST="TangerHuette.Localhost").get("/").status_code == 200


def test_a_custom_domain_registered_with_www_answers_as_it_is(town_a: Municipality) -> None:
    domain_add(town=town_a, domain="www.tangerhuette.de")

    response = Client(HTTP_HOST="www.tangerhuette.de").get("/")

    assert response.status_code == 200
    assert "Tangerhütte" in response.content.decode()
    assert Client(HTTP_HOST="tangerhuette.de").get("/").status_code == 404  # not registered


def test_www_in_front_of_a_towns_host_leads_to_that_host(town_a: Municipality) -> None:
    domain_add(town=town_a, domain="tangerhuette.de")
    visitor = Client(HTTP_HOST="WWW.tangerhuette.de")

    page = visitor.get("/news/?seite=2")
    form = visitor.post("/accounts/login/", {"username": "x"})
    # The port and letter case the client sent never reach the address it is sent to.
    default_host = Client(HTTP_HOST="WWW.TangerHuette.localhost:9999").get("/")

    assert page.status_code == 301
    assert page["Location"] == "http://tangerhuette.de/news/?seite=2"
    assert form.status_code == 308  # the browser repeats the POST there, body and all
    assert form["Location"] == "http://tangerhuette.de/accounts/login/"
    assert default_host.status_code == 301
    assert default_host["Location"] == "http://tangerhuette.localhost/"


def test_www_in_front_of_a_former_host_leads_straight_to_the_current_one(
    town_a: Municipality,
) -> None:
    town_rename(town=town_a, slug="tangerhuette-stadt", actor=Actor.system("test"))

    response = Client(HTTP_HOST="www.tangerhuette.localhost").get("/")

    assert response.status_code == 301
    assert response["Location"] == "http://tangerhuette-stadt.localhost/"


def test_www_and_the_bare_host_may_belong_to_two_towns(
    town_a: Municipality, town_b: Municipality
) -> None:
    domain_add(town=town_a, domain="boerde.de")
    domain_add(town=town_b, domain="www.boerde.de")

    assert "Tangerhütte" in Client(HTTP_HOST="boerde.de").get("/").content.decode()
    assert "Hohe Börde" in Client(HTTP_HOST="www.boerde.de").get("/").content.decode()


@pytest.mark.parametrize("host", ["tangerhuette.localhost.evil.example", "localhost.tangerhuette"])
def test_look_alike_hosts_are_no_town(host: str, town_a: Municipality) -> None:
    assert Client(HTTP_HOST=host).get("/").status_code == 404


def test_an_invalid_host_header_gets_the_404_page(db: None) -> None:
    response = Client(HTTP_HOST="bad host!").get("/")

    assert response.status_code == 404


def test_another_towns_new_domain_leaves_this_towns_cache_warm(
    client_a: Client, town_b: Municipality
) -> None:
    client_a.get("/")

    domain_add(town=town_b, domain="hohe-boerde.de")

    with CaptureQueriesContext(connection) as queries:
        assert client_a.get("/").status_code == 200
    assert not any(Domain._meta.db_table in q["sql"] for q in queries.captured_queries)


def test_a_towns_custom_domain_is_admitted_only_for_its_own_request(
    town_a: Municipality,
) -> None:
    from django.conf import settings

    domain_add(town=town_a, domain="rathaus.tangerhuette.de")

    assert Client(HTTP_HOST="rathaus.tangerhuette.de").get("/").status_code == 200
    assert "rathaus.tangerhuette.de" not in list(settings.ALLOWED_HOSTS)
    assert Client(HTTP_HOST="evil.example").get("/").status_code == 404
