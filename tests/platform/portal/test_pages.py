"""What a visitor sees on a town's host, the vendor's host and a host that is no town."""

from django.test import Client

from rathaus.tenants.models import Municipality


def test_town_home_shows_the_towns_name_in_german_by_default(
    client_a: Client, town_a: Municipality
) -> None:
    response = client_a.get("/")

    assert response.status_code == 200
    assert response["Content-Language"] == "de"
    assert "Willkommen im digitalen Rathaus Tangerhütte" in response.content.decode()


def test_each_town_shows_its_own_name(client_a: Client, client_b: Client) -> None:
    assert "Hohe Börde" in client_b.get("/").content.decode()
    assert "Hohe Börde" not in client_a.get("/").content.decode()


def test_town_home_is_english_when_the_browser_asks_for_it(client_a: Client) -> None:
    response = client_a.get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Content-Language"] == "en"
    assert "Welcome to the digital town hall of Tangerhütte" in response.content.decode()


def test_language_switch_keeps_english_for_later_pages(client_a: Client) -> None:
    client_a.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert "Skip to content" in client_a.get("/").content.decode()


def test_town_home_works_on_a_phone(client_a: Client) -> None:
    html = client_a.get("/").content.decode()

    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert '<html lang="de"' in html


def test_public_host_shows_the_vendor_landing_page(public_client: Client) -> None:
    response = public_client.get("/")

    assert response.status_code == 200
    assert "das digitale Rathaus für Ihre Kommune" in response.content.decode()


def test_unknown_host_gets_a_404_page_and_nothing_of_the_public_schema(
    town_a: Municipality, town_b: Municipality
) -> None:
    stranger = Client(HTTP_HOST="nirgendwo.localhost")

    for path in [
        "/",
        "/admin/",
        "/admin/tenants/municipality/",
        "/api/schema/",
        "/accounts/login/",
    ]:
        response = stranger.get(path)
        html = response.content.decode()
        assert response.status_code == 404, path
        assert "Keine Kommune unter dieser Adresse" in html
        assert town_a.name not in html
        assert town_b.name not in html
        assert "Betreiber" not in html


def test_unknown_host_page_speaks_english_when_asked(db: None) -> None:
    response = Client(HTTP_HOST="nowhere.example").get("/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "No municipality at this address" in response.content.decode()


def test_unknown_page_on_a_town_is_a_town_branded_404(client_a: Client) -> None:
    response = client_a.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert "Tangerhütte" in response.content.decode()


def test_the_towns_openapi_schema_is_served(client_a: Client) -> None:
    response = client_a.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Rathaus API"
