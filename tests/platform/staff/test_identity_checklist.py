"""A German authority's portal must name itself: the back office says what is missing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context
from PIL import Image

from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.checklist import branding_checklist, branding_missing
from rathaus.platform.branding.models import Branding
from rathaus.platform.branding.services import branding_update
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD
from tests.platform.staff.conftest import make_staff

SYSTEM = Actor.system("test")
COMPLETE = {
    "authority_name": "Stadt Tangerhütte",
    "address": "Bismarckstraße 5\n39517 Tangerhütte",
    "imprint_url": "https://www.tangerhuette.de/impressum",
    "privacy_url": "https://www.tangerhuette.de/datenschutz",
    "contact_phone": "03935 9310",
}


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 48), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("wappen.png", buffer.getvalue(), content_type="image/png")


def test_a_new_town_misses_everything_and_a_complete_one_nothing() -> None:
    empty = Branding(pk=1)
    assert [item.key for item in branding_missing(branding=empty)] == [
        "coat_of_arms",
        "authority_name",
        "address",
        "imprint_url",
        "privacy_url",
        "contact",
    ]
    complete = Branding(pk=1, coat_of_arms="branding/wappen.png", **COMPLETE)
    assert branding_missing(branding=complete) == []
    assert all(item.done for item in branding_checklist(branding=complete))
    # Blanks are no name, and an e-mail address is contact enough.
    blank = Branding(pk=1, authority_name="  ", contact_email="info@tangerhuette.de")
    missing = {item.key for item in branding_missing(branding=blank)}
    assert "authority_name" in missing
    assert "contact" not in missing


def test_the_branding_page_lists_what_is_missing_with_links_to_fix_it(
    admin_client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        branding_update(town=town_a, actor=SYSTEM, imprint_url=COMPLETE["imprint_url"])

    html = admin_client_a.get("/staff/branding/").content.decode()

    assert "Noch 5 Pflichtangaben fehlen" in html
    for field in ["coat_of_arms", "authority_name", "address", "privacy_url", "contact_email"]:
        assert f'href="#id_{field}"' in html, field
    assert 'href="#id_imprint_url"' not in html  # done, nothing to fix


def test_the_branding_page_previews_header_and_footer_with_colour_and_arms(
    admin_client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        branding_update(
            town=town_a, actor=SYSTEM, primary_color="#7a1f1f", coat_of_arms=png(), **COMPLETE
        )

    html = admin_client_a.get("/staff/branding/").content.decode()

    assert "Alle Pflichtangaben sind vorhanden" in html
    preview = html[html.index('id="preview"') :]
    assert "#7a1f1f" in preview
    assert "Stadt Tangerhütte" in preview
    assert "/media/branding/wappen" in preview
    assert COMPLETE["privacy_url"] in preview


def test_the_dashboard_reminds_the_admin_while_the_identity_is_incomplete(
    admin_client_a: Client, town_a: Municipality, client_a: Client
) -> None:
    assert "Pflichtangaben fehlen" in admin_client_a.get("/staff/").content.decode()

    with tenant_context(town_a):
        branding_update(town=town_a, actor=SYSTEM, coat_of_arms=png(), **COMPLETE)
    assert "Pflichtangaben fehlen" not in admin_client_a.get("/staff/").content.decode()


def test_staff_who_cannot_fix_it_are_not_reminded(town_a: Municipality, client_a: Client) -> None:
    editor = make_staff(town_a, "redaktion@tangerhuette.de", ["news.editor"])
    client_a.post("/accounts/login/", {"username": editor.email, "password": PASSWORD})

    page = client_a.get("/staff/")
    assert page.status_code == 200
    assert "Pflichtangaben fehlen" not in page.content.decode()
