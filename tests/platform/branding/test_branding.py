"""Branding shows on every citizen page; unreadable colours and unsafe files are refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tenants.utils import tenant_context
from PIL import Image

from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.selectors import current_branding
from rathaus.platform.branding.services import branding_update
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality

SYSTEM = Actor.system("test")


def _png(colour: str = "red") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 48), colour).save(buffer, "PNG")
    return SimpleUploadedFile("wappen.png", buffer.getvalue(), content_type="image/png")


def test_colour_name_and_links_show_on_every_citizen_page(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        branding_update(
            town=town_a,
            actor=SYSTEM,
            primary_color="#7a1f1f",
            display_name="Einheitsgemeinde Stadt Tangerhütte",
            imprint_url="https://www.tangerhuette.de/impressum",
        )

    for page in ["/", "/accounts/login/"]:
        html = client_a.get(page).content.decode()
        assert "--kern-color-action-default: #7a1f1f" in html
        assert "Einheitsgemeinde Stadt Tangerhütte" in html
        assert 'href="https://www.tangerhuette.de/impressum"' in html


@pytest.mark.parametrize("colour", ["#ffcc00", "#87ceeb", "#ffffff"])
def test_a_colour_that_fails_wcag_aa_against_white_text_is_refused(
    town_a: Municipality, colour: str
) -> None:
    with tenant_context(town_a), pytest.raises(ValidationError) as error:
        branding_update(town=town_a, actor=SYSTEM, primary_color=colour)

    assert "4,5:1" in error.value.message_dict["primary_color"][0]
    with tenant_context(town_a):
        assert current_branding().primary_color == "#1d4f91"


def test_a_colour_in_the_wrong_format_is_named(town_a: Municipality) -> None:
    with tenant_context(town_a), pytest.raises(ValidationError) as error:
        branding_update(town=town_a, actor=SYSTEM, primary_color="dunkelblau")

    assert "#RRGGBB" in str(error.value)


@pytest.mark.parametrize("field", ["imprint_url", "privacy_url"])
@pytest.mark.parametrize("address", ["ftp://www.tangerhuette.de/x", "ftps://www.tangerhuette.de/x"])
def test_the_legal_links_must_be_web_pages(town_a: Municipality, field: str, address: str) -> None:
    # Every visitor follows them (footer, /impressum/): ftps:// made that page a 400.
    with tenant_context(town_a), pytest.raises(ValidationError) as error:
        branding_update(town=town_a, actor=SYSTEM, **{field: address})

    assert "https://" in error.value.message_dict[field][0]


def test_the_coat_of_arms_is_stored_for_the_town_and_shown(
    client_a: Client, client_b: Client, town_a: Municipality, admin_client_a: Client
) -> None:
    response = admin_client_a.post(
        "/staff/branding/", {"primary_color": "#1d4f91", "coat_of_arms": _png()}
    )
    assert response.status_code == 302

    html = client_a.get("/").content.decode()
    assert 'class="rh-brand__arms"' in html
    src = html.split('<img src="', 1)[1].split('"', 1)[0]
    assert client_a.get(src).status_code == 200
    assert client_b.get(src).status_code == 404


def test_a_file_that_is_not_an_image_is_refused(
    admin_client_a: Client, town_a: Municipality
) -> None:
    fake = SimpleUploadedFile("wappen.png", b"<svg onload=alert(1)>", content_type="image/png")

    response = admin_client_a.post(
        "/staff/branding/", {"primary_color": "#1d4f91", "coat_of_arms": fake}
    )

    assert response.status_code == 200
    assert "coat_of_arms" in response.context["form"].errors


def test_one_towns_branding_never_shows_on_another(client_b: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        branding_update(town=town_a, actor=SYSTEM, primary_color="#7a1f1f")

    assert "#7a1f1f" not in client_b.get("/").content.decode()


@pytest.fixture
def admin_client_a(client_a: Client, town_a: Municipality) -> Client:
    from tests.factories import PASSWORD
    from tests.platform.staff.conftest import make_staff

    admin: User = make_staff(town_a, "verwaltung@tangerhuette.de", ["town_admin"])
    client_a.post("/accounts/login/", {"username": admin.email, "password": PASSWORD})
    return client_a
