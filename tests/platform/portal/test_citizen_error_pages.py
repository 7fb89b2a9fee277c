"""Pages that say no (404, 403, a level of trust missing) are the town's own pages too."""

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import set_urlconf
from django.views.defaults import server_error
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


def test_the_vendors_error_pages_render_for_a_signed_in_vendor_and_a_visitor(
    public_client: Client,
) -> None:
    # The vendor's hosts have no citizen accounts: the error pages must not link to them
    # (reversing "accounts:…" there failed, and a 404 became a server error).
    vendor = UserFactory.create(is_staff=True)
    public_client.force_login(vendor)

    response = public_client.get("/gibt-es-nicht/")

    assert response.status_code == 404
    assert "Seite nicht gefunden" in text_of(response.content.decode())
    assert "Mein Rathaus" not in text_of(response.content.decode())

    request = RequestFactory().get("/console/", HTTP_HOST="localhost")
    request.user = AnonymousUser()
    set_urlconf("rathaus.config.urls_public")
    try:
        html = render_to_string("403.html", request=request)
    finally:
        set_urlconf(None)
    assert "Kein Zugriff" in html
    assert "Mit einem anderen Konto anmelden" not in html


def test_a_form_sent_without_a_valid_security_token_says_what_to_do_in_german(
    town_a: Municipality,
) -> None:
    browser = Client(HTTP_HOST="tangerhuette.localhost", enforce_csrf_checks=True)

    response = browser.post("/accounts/login/", {"username": "x@example.org", "password": "x"})

    html = response.content.decode()
    assert response.status_code == 403
    assert '<h1 class="kern-heading-large">Formular abgelaufen</h1>' in html
    assert "laden Sie die Seite neu" in text_of(html)
    assert "Tangerhütte" in text_of(html)  # the town's shell
    assert "CSRF" not in html


def test_the_vendors_hosts_show_the_same_page_for_a_stale_form(db: None) -> None:
    browser = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)

    response = browser.post("/console/login/", {"username": "x@example.org", "password": "x"})

    assert response.status_code == 403
    assert "Formular abgelaufen" in response.content.decode()


def test_a_server_error_is_explained_in_german_without_needing_the_town(db: None) -> None:
    # Django renders 500.html with an empty context: it must stand on its own.
    response = server_error(RequestFactory().get("/"))

    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Ein Fehler ist aufgetreten</h1>" in html
    assert "Das lag nicht an Ihnen." in html
