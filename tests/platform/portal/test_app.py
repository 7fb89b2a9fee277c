"""Each town's host serves its own installable app: manifest, icons from its arms, worker."""

import io
import json

from django.test import Client
from django_tenants.utils import tenant_context
from PIL import Image

from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.services import branding_update
from rathaus.tenants.models import Municipality
from tests.platform.staff.test_identity_checklist import png

SYSTEM = Actor.system("test")


def _image(client: Client, url: str) -> Image.Image:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content)).convert("RGB")


def test_each_town_serves_its_own_manifest_with_its_name_and_colour(
    client_a: Client, client_b: Client, town_a: Municipality, town_b: Municipality
) -> None:
    with tenant_context(town_a):
        branding_update(town=town_a, actor=SYSTEM, primary_color="#7a1f1f")

    manifest_a = json.loads(client_a.get("/manifest.webmanifest").content)
    manifest_b = json.loads(client_b.get("/manifest.webmanifest").content)

    assert manifest_a["name"] == f"{town_a.name} – Digitales Rathaus"
    assert manifest_a["short_name"] == town_a.name[:12]
    assert manifest_a["theme_color"] == "#7a1f1f"
    assert manifest_a["display"] == "standalone"
    assert manifest_a["start_url"] == "/"
    assert {(icon["purpose"], icon["sizes"]) for icon in manifest_a["icons"]} == {
        ("any", "192x192"),
        ("any", "512x512"),
        ("maskable", "192x192"),
        ("maskable", "512x512"),
    }
    assert manifest_b["name"] == f"{town_b.name} – Digitales Rathaus"
    assert manifest_b["theme_color"] != "#7a1f1f"


def test_the_home_page_links_the_manifest_theme_colour_and_ios_icon(
    client_a: Client, town_a: Municipality
) -> None:
    page = client_a.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest"' in page
    assert '<meta name="theme-color" content="#' in page
    assert '<link rel="apple-touch-icon" href="/app-icons/maskable-180.png">' in page


def test_icons_are_made_from_the_coat_of_arms_at_every_size(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        branding_update(town=town_a, actor=SYSTEM, primary_color="#7a1f1f", coat_of_arms=png())

    for size in (180, 192, 512):
        maskable = _image(client_a, f"/app-icons/maskable-{size}.png")
        plain = _image(client_a, f"/app-icons/any-{size}.png")
        assert maskable.size == plain.size == (size, size)
        # The arms (navy) in the middle; around them the town's colour or white.
        assert maskable.getpixel((size // 2, size // 2)) == (0, 0, 128)
        assert maskable.getpixel((2, 2)) == (0x7A, 0x1F, 0x1F)
        assert plain.getpixel((size // 2, size // 2)) == (0, 0, 128)
        assert plain.getpixel((2, 2)) == (255, 255, 255)
    # The maskable icon keeps the arms inside the safe zone (the inner 80 %).
    maskable = _image(client_a, "/app-icons/maskable-512.png")
    assert maskable.getpixel((256, int(512 * 0.11))) == (0x7A, 0x1F, 0x1F)


def test_a_town_without_arms_gets_its_initial_on_its_colour(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        branding_update(town=town_a, actor=SYSTEM, primary_color="#7a1f1f")

    icon = _image(client_a, "/app-icons/any-192.png")

    assert icon.getpixel((2, 2)) == (0x7A, 0x1F, 0x1F)
    assert (255, 255, 255) in {color for _count, color in icon.getcolors(192 * 192) or []}


def test_unknown_icon_sizes_are_not_found(client_a: Client, town_a: Municipality) -> None:
    assert client_a.get("/app-icons/any-77.png").status_code == 404
    assert client_a.get("/app-icons/round-192.png").status_code == 404


def test_the_service_worker_covers_the_site_and_keeps_only_static_files_and_the_offline_page(
    client_a: Client, town_a: Municipality
) -> None:
    response = client_a.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Cache-Control"] == "no-cache"
    config = json.loads(response.content.decode().split("const CONFIG = ")[1].split(";\n")[0])
    assert config["offline"] == "/offline/"
    assert config["static"] == "/static/"
    assert all(asset.startswith("/static/") for asset in config["assets"])
    assert config["cache"].startswith(f"rathaus-{town_a.schema_name}-")
    offline = client_a.get("/offline/")
    assert offline.status_code == 200
    assert "Keine Verbindung" in offline.content.decode()
