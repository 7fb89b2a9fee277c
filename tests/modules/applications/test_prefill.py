"""Answers prefilled from the account (marked), and forms that need a state-account login."""

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.federation.trust import SESSION_KEY
from rathaus.tenants.models import Municipality
from tests.factories import UserFactory
from tests.modules.applications.conftest import dog_definition, log_in, publish

STEP_1 = "/applications/hund-anmelden/step/1/"


def test_the_account_fills_in_what_it_knows_and_says_so(
    client_a: Client, applications_a: Municipality
) -> None:
    publish(applications_a)
    with tenant_context(applications_a):
        UserFactory(
            email="erika@example.org",
            first_name="Erika",
            last_name="Mustermann",
            street="Markt 1",
            postal_code="39517",
            city="Tangerhütte",
            verified_fields=["first_name", "last_name"],
        )
    log_in(client_a, "erika@example.org")

    page = client_a.get(STEP_1).content.decode()

    assert 'value="Erika Mustermann"' in page
    assert 'value="39517"' in page
    assert 'value="erika@example.org"' in page
    assert page.count("Vom Landeskonto bestätigt; Sie können es ändern.") == 1  # the name
    assert page.count("Aus Ihrem Konto übernommen; Sie können es ändern.") == 2


def test_a_guest_gets_no_prefill(client_a: Client, applications_a: Municipality) -> None:
    publish(applications_a)

    page = client_a.get(STEP_1).content.decode()

    assert "Aus Ihrem Konto übernommen" not in page


def test_a_form_that_needs_a_state_account_login_says_so_and_keeps_others_out(
    client_a: Client, applications_a: Municipality
) -> None:
    definition = dog_definition()
    definition["eidas_level"] = "substantial"
    publish(applications_a, definition)

    start = client_a.get("/applications/hund-anmelden/").content.decode()
    kept_out = client_a.get(STEP_1)
    session = client_a.session
    session[SESSION_KEY] = "low"
    session.save()
    too_low = client_a.get(STEP_1)
    session[SESSION_KEY] = "high"
    session.save()
    let_in = client_a.get(STEP_1)

    assert "Anmeldung mit dem Landeskonto nötig" in start
    assert "Vertrauensniveau substanziell (eIDAS substantial) oder höher" in start
    assert "Antrag starten" not in start
    assert kept_out["Location"] == "/applications/hund-anmelden/"
    assert too_low["Location"] == "/applications/hund-anmelden/"
    assert let_in.status_code == 200
