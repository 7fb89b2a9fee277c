"""Pages that say no (404, 403, a level of trust missing) are the town's own pages too."""

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.services import module_trust_level_set
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.html import text_of
from tests.modules.conftest import switch_on


def test_an_unknown_page_says_so_in_the_towns_shell_and_leads_home(client_a: Client) -> None:
    response = client_a.get("/gibt-es-nicht/")

    html = response.content.decode()
    assert response.status_code == 404
    assert '<h1 class="kern-heading-large">Seite nicht gefunden</h1>' in html
    assert "Tangerhütte" in text_of(html)  # the town's header
    assert 'href="/"' in html


def test_a_citizen_on_a_staff_page_is_told_why_and_may_switch_accounts_only_when_out(
    client_a: Client, town_a: Municipality
) -> None:
    with tenant_context(town_a):
        citizen = UserFactory.create()
    client_a.post("/accounts/login/", {"username": citizen.email, "password": PASSWORD})

    response = client_a.get("/staff/team/")

    html = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="kern-heading-large">Kein Zugriff</h1>' in html
    assert "Für diese Seite fehlt Ihnen die nötige Rolle." in html
    assert "Mit einem anderen Konto anmelden" not in html


def test_a_service_that_needs_the_state_account_offers_it_on_a_kern_page(
    client_a: Client, town_a: Municipality
) -> None:
    switch_on(town_a, "contact")
    module_trust_level_set(
        town=town_a, key="contact", level="substantial", actor=Actor.system("test")
    )

    html = client_a.get("/contact/").content.decode()

    assert '<h1 class="kern-heading-large">Anmeldung mit dem Landeskonto nötig</h1>' in html
    assert "kern-alert" in html
    assert "Zur Startseite" in html
