"""The vendor console and the vendor API: vendor staff only, on the vendor's host only."""

from typing import Any

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality
from rathaus.vendor.vendor_tokens import vendor_token_create
from tests.factories import UserFactory


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


def test_the_console_lists_towns_with_status_modules_and_citizens(
    console: Client, town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        UserFactory(email="erika@example.org")

    page = console.get("/console/").content.decode()

    assert "Tangerhütte" in page
    assert "Hohe Börde" in page
    assert "15090520" in page
    assert "<td>1</td>" in page  # Tangerhütte's one citizen


def test_the_console_is_for_vendor_staff_only(
    public_client: Client, client_a: Client, town_a: Municipality
) -> None:
    assert public_client.get("/console/").status_code == 302  # to the login
    customer = UserFactory.create(email="kunde@example.org")
    public_client.force_login(customer)
    assert public_client.get("/console/").status_code == 302
    with tenant_context(town_a):  # the login (and its session) belong to the town's schema
        town_staff = UserFactory.create(email="amt@example.org", is_staff=True)
        client_a.force_login(town_staff)
    assert client_a.get("/console/").status_code == 404  # a town's host has no console


def test_onboarding_from_the_console(console: Client, town_a: Municipality) -> None:
    response = console.post(
        "/console/",
        {
            "name": "Arneburg",
            "ags": "15090010",
            "slug": "arneburg",
            "admin_email": "amt@arneburg.example",
            "modules": ["contact"],
        },
        follow=True,
    )

    assert "Arneburg ist eingerichtet" in response.content.decode()
    assert Municipality.objects.filter(ags="15090010").exists()

    bad = console.post(
        "/console/",
        {"name": "X", "ags": "15090011", "slug": town_a.slug, "admin_email": "a@b.example"},
    )
    assert 'role="alert"' in bad.content.decode()
    assert not Municipality.objects.filter(ags="15090011").exists()


def test_suspending_from_the_console(console: Client, town_a: Municipality) -> None:
    console.post(f"/console/towns/{town_a.ags}/status/", {"status": "suspended"})

    assert Municipality.objects.get(pk=town_a.pk).status == "suspended"


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
    assert "modules" in bad.json()

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
    assert docs["Location"].startswith("/admin/login/?next=/api/docs/")
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
