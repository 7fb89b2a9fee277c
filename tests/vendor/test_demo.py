"""The demo towns look like two different towns: own colour, coat of arms, name and links."""

import io

from django.test import Client
from django_tenants.utils import tenant_context
from PIL import Image

from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.checklist import branding_missing
from rathaus.platform.branding.selectors import stored_branding
from rathaus.platform.branding.services import branding_update
from rathaus.tenants.models import Municipality
from rathaus.vendor.demo import DEMO_IDENTITIES, demo_identity_load
from rathaus.vendor.heraldry import HEIGHT, WIDTH, shield_png

DEMO = Actor.system("load_demo")


def test_each_demo_shield_is_a_transparent_png_of_its_own(db: None) -> None:
    shields = [shield_png(spec["arms"]) for spec in DEMO_IDENTITIES.values()]

    assert len(set(shields)) == len(shields)
    for data in shields:
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG"
        assert image.size == (WIDTH, HEIGHT)
        alpha = image.getchannel("A")
        assert alpha.getpixel((0, HEIGHT - 1)) == 0  # outside the shield: transparent
        assert alpha.getpixel((WIDTH // 2, HEIGHT // 3)) == 255  # inside: painted


def test_the_demo_towns_get_distinct_complete_identities(
    town_a: Municipality, town_b: Municipality
) -> None:
    seen = {}
    for town in (town_a, town_b):
        with tenant_context(town):
            demo_identity_load(town=town, actor=DEMO)
            branding = stored_branding()
            assert branding_missing(branding=branding) == []
            seen[town.slug] = (branding.primary_color, branding.authority_name)

    assert seen["tangerhuette"][1] == "Stadt Tangerhütte"
    assert seen["hohe-boerde"][1] == "Gemeinde Hohe Börde"
    assert seen["tangerhuette"][0] != seen["hohe-boerde"][0]

    pages = {
        slug: Client(HTTP_HOST=f"{slug}.localhost").get("/").content.decode()
        for slug in ("tangerhuette", "hohe-boerde")
    }
    assert "Stadt Tangerhütte" in pages["tangerhuette"]
    assert "Gemeinde Hohe Börde" in pages["hohe-boerde"]
    assert "/media/branding/wappen-tangerhuette" in pages["tangerhuette"]
    assert "/media/branding/wappen-hohe-boerde" in pages["hohe-boerde"]


def test_loading_again_keeps_what_the_town_chose(town_a: Municipality) -> None:
    with tenant_context(town_a):
        demo_identity_load(town=town_a, actor=DEMO)
        branding_update(town=town_a, actor=DEMO, primary_color="#7a1f1f")
        arms = stored_branding().coat_of_arms.name

        demo_identity_load(town=town_a, actor=DEMO)

        assert stored_branding().primary_color == "#7a1f1f"
        assert stored_branding().coat_of_arms.name == arms
