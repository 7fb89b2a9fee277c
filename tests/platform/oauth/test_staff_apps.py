"""The town admin registers and removes the town's apps in the back office."""

from django.test import Client
from django_tenants.utils import tenant_context
from oauth2_provider.models import get_application_model

from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.appointments.conftest import log_in
from tests.platform.staff.conftest import make_staff


def test_the_town_admin_registers_an_app_and_sees_its_client_id(
    client_a: Client, town_a: Municipality, town_b: Municipality
) -> None:
    make_staff(town_a, "verwaltung@tangerhuette.de", [TOWN_ADMIN])
    log_in(client_a, "verwaltung@tangerhuette.de")

    registered = client_a.post(
        "/staff/apps/",
        {
            "name": "Tangerhütte-App",
            "redirect_uris": "de.rathaus.app:/cb\nhttps://app.example.org/cb",
        },
        follow=True,
    )

    with tenant_context(town_a):
        app = get_application_model().objects.get(name="Tangerhütte-App")
    assert app.client_id in registered.content.decode()
    assert app.redirect_uris == "de.rathaus.app:/cb https://app.example.org/cb"
    with tenant_context(town_b):
        assert not get_application_model().objects.exists()

    client_a.post("/staff/apps/", {"remove": str(app.pk)})
    with tenant_context(town_a):
        assert not get_application_model().objects.exists()


def test_a_bad_redirect_uri_is_named_on_the_form(client_a: Client, town_a: Municipality) -> None:
    make_staff(town_a, "verwaltung@tangerhuette.de", [TOWN_ADMIN])
    log_in(client_a, "verwaltung@tangerhuette.de")

    refused = client_a.post("/staff/apps/", {"name": "App", "redirect_uris": "http://x.example/cb"})

    assert refused.status_code == 200
    assert "„http://x.example/cb“: das Schema „http“ ist nicht erlaubt" in refused.content.decode()


def test_a_citizen_gets_no_app_page(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        UserFactory.create(email="erika@example.org")
    log_in(client_a, "erika@example.org")

    assert client_a.get("/staff/apps/").status_code == 403
