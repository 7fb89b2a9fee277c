"""The vendor API: vendor staff only, on the vendor's host only (the console: test_console)."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context
from PIL import Image

from rathaus.platform.branding.selectors import stored_branding
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from rathaus.vendor.vendor_tokens import vendor_token_create
from tests.factories import UserFactory
from tests.html import api_error_paths


@pytest.fixture
def vendor(db: None) -> User:
    return UserFactory.create(email="vendor@rathaus.example", is_staff=True)


@pytest.fixture
def console(public_client: Client, vendor: User) -> Client:
    public_client.force_login(vendor)
    return public_client


@pytest.fixture
def api(vendor: User) -> Client:
    token = vendor_token_create(user=vendor, name="test")
    return Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_the_api_refuses_without_a_valid_token(db: None, town_a: Municipality) -> None:
    assert Client(HTTP_HOST="localhost").get("/api/vendor/v1/towns/").status_code in (401, 403)
    wrong = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION="Bearer nope")
    assert wrong.get("/api/vendor/v1/towns/").status_code == 401


def test_the_api_is_not_on_a_towns_host(vendor: User, town_a: Municipality) -> None:
    token = vendor_token_create(user=vendor, name="t")
    on_town = Client(HTTP_HOST="tangerhuette.localhost", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert on_town.get("/api/vendor/v1/towns/").status_code == 404


def test_the_api_lists_onboards_and_changes_towns(api: Client, town_a: Municipality) -> None:
    towns = api.get("/api/vendor/v1/towns/").json()
    tangerhuette = next(t for t in towns if t["ags"] == "15090520")
    assert tangerhuette["status"] == "active"
    assert tangerhuette["state"] == "Sachsen-Anhalt"

    body: dict[str, Any] = {
        "ags": "15090010",
        "name": "Arneburg",
        "slug": "arneburg",
        "admin_email": "amt@arneburg.example",
        "modules": ["contact"],
    }
    created = api.post("/api/vendor/v1/towns/", body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["modules"] == ["contact"]
    again = api.post("/api/vendor/v1/towns/", body, content_type="application/json")
    assert again.status_code == 200

    bad = api.post(
        "/api/vendor/v1/towns/",
        {**body, "ags": "15090011", "slug": "arneburg", "modules": ["teleport"]},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "$.modules[0]" in api_error_paths(bad)

    suspended = api.post("/api/vendor/v1/towns/15090010/suspend/")
    assert suspended.json()["status"] == "suspended"
    renamed = api.post(
        "/api/vendor/v1/towns/15090010/rename/", {"slug": "arneburg-elbe"}, "application/json"
    )
    assert renamed.json()["slug"] == "arneburg-elbe"
    domain = api.post(
        "/api/vendor/v1/towns/15090010/domains/",
        {"domain": "rathaus.arneburg.example"},
        "application/json",
    )
    assert domain.status_code == 201
    assert "rathaus.arneburg.example" in domain.json()["domains"]


def test_the_api_onboards_a_town_with_its_identity_and_coat_of_arms(api: Client, db: None) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 70), "navy").save(buffer, "PNG")
    arms = SimpleUploadedFile("wappen.png", buffer.getvalue(), content_type="image/png")
    body = {
        "ags": "15090010",
        "name": "Arneburg",
        "slug": "arneburg",
        "admin_email": "amt@arneburg.example",
        "authority_name": "Stadt Arneburg",
        "address": "Breite Straße 16, 39606 Arneburg",
        "imprint_url": "https://www.arneburg.example/impressum",
        "privacy_url": "https://www.arneburg.example/datenschutz",
    }

    bad = api.post(
        "/api/vendor/v1/towns/",
        {**body, "coat_of_arms": SimpleUploadedFile("wappen.png", b"no image")},
    )
    assert bad.status_code == 400
    assert "$.coat_of_arms" in api_error_paths(bad)
    colour = api.post("/api/vendor/v1/towns/", {**body, "primary_color": "#ffff00"})
    assert colour.status_code == 400
    assert "4,5:1" in api_error_paths(colour)["$.primary_color"]
    assert not Municipality.objects.filter(ags="15090010").exists()

    created = api.post("/api/vendor/v1/towns/", {**body, "coat_of_arms": arms})
    assert created.status_code == 201
    with tenant_context(Municipality.objects.get(ags="15090010")):
        branding = stored_branding()
    assert branding.authority_name == "Stadt Arneburg"
    assert branding.privacy_url == "https://www.arneburg.example/datenschutz"
    assert branding.coat_of_arms


def test_the_vendor_api_is_in_the_public_hosts_openapi_schema(console: Client) -> None:
    schema = console.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()

    assert "/api/vendor/v1/towns/" in schema
    assert "/api/vendor/v1/towns/{ags}/suspend/" in schema
    docs = console.get("/api/docs/")
    assert docs.status_code == 200
    assert "swagger" in docs.content.decode().lower()


def test_the_vendor_api_docs_are_for_vendor_staff_only(
    public_client: Client, api: Client, db: None
) -> None:
    # Nobody logged in: the page asks for the vendor login, the schema refuses.
    docs = public_client.get("/api/docs/")
    assert docs.status_code == 302
    assert docs["Location"].startswith("/console/login/?next=/api/docs/")
    assert public_client.get("/api/schema/").status_code in (401, 403)
    # A logged-in account that is no vendor staff fares no better.
    public_client.force_login(UserFactory.create(email="kunde@example.org"))
    assert public_client.get("/api/docs/").status_code == 302
    assert public_client.get("/api/schema/").status_code == 403
    # A vendor token is enough for the schema (client generators, scripts).
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/vendor/v1/towns/" in schema.content.decode()


def test_a_towns_api_docs_for_the_app_stay_public(client_a: Client) -> None:
    assert client_a.get("/api/docs/").status_code == 200
    schema = client_a.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "/api/vendor/" not in schema.content.decode()


def test_onboarding_and_lifecycle_from_the_command_line(town_a: Municipality) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command(
        "onboard",
        "--ags=15090010",
        "--name=Arneburg",
        "--slug=arneburg",
        "--admin-email=amt@arneburg.example",
        "--modules=contact",
        stdout=out,
    )
    assert "Arneburg (town_15090010) eingerichtet" in out.getvalue()
    call_command("town", "suspend", "15090010", stdout=out)
    assert Municipality.objects.get(ags="15090010").status == "suspended"
    with pytest.raises(CommandError, match="slug"):
        call_command(
            "onboard",
            "--ags=15090011",
            "--name=X",
            f"--slug={town_a.slug}",
            "--admin-email=a@b.example",
        )


def test_the_vendor_admin_opens_on_the_vendor_host(
    public_client: Client, town_a: Municipality
) -> None:
    # Regression: django-tenants' admin templates broke every page on a host without a town.
    public_client.force_login(User.objects.create_superuser("lena@rathaus-betreiber.de", "x-" * 8))

    for path in [
        "/admin/",
        "/admin/tenants/municipality/",
        f"/admin/tenants/municipality/{town_a.pk}/change/",
    ]:
        response = public_client.get(path)
        assert response.status_code == 200, path
        assert "Tangerhütte" in response.content.decode() or path == "/admin/"
