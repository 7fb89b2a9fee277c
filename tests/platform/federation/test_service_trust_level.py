"""A service the town marks as needing a proven eIDAS level opens only after such a login."""

from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.modules.services import module_trust_level_set
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality
from tests.modules.conftest import switch_on

from .helpers import oidc_configure, oidc_provider_answer

ADMIN = Actor.system("test")


@pytest.fixture
def contact_needs_substantial(town_a: Municipality) -> Municipality:
    switch_on(town_a, "contact")
    module_trust_level_set(town=town_a, key="contact", level="substantial", actor=ADMIN)
    return town_a


def _session_with_level(client: Client, town: Municipality, level: str) -> None:
    store = import_module(settings.SESSION_ENGINE).SessionStore
    with tenant_context(town):
        session = store()
        session["rathaus_trust_level"] = level
        session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


def test_a_visitor_without_the_level_is_offered_the_state_account(
    client_a: Client, contact_needs_substantial: Municipality
) -> None:
    page = client_a.get("/contact/")
    api = client_a.get("/api/v1/contact/")

    assert page.status_code == 403
    assert "Landeskonto" in page.content.decode()
    assert api.status_code == 403
    assert api.json()["required_trust_level"] == "substantial"


@pytest.mark.parametrize(("level", "status"), [("low", 403), ("substantial", 200), ("high", 200)])
def test_the_proven_level_must_reach_the_services_level(
    client_a: Client, contact_needs_substantial: Municipality, level: str, status: int
) -> None:
    _session_with_level(client_a, contact_needs_substantial, level)

    assert client_a.get("/contact/").status_code == status


def test_the_level_is_per_town_and_its_change_is_audited(
    client_b: Client, town_b: Municipality, contact_needs_substantial: Municipality
) -> None:
    switch_on(town_b, "contact")

    assert client_b.get("/contact/").status_code == 200
    with tenant_context(contact_needs_substantial):
        entry = AuditEntry.objects.get(action="module.trust_level")
    assert (entry.before, entry.after) == ("", "substantial")


def test_a_state_account_login_opens_the_service(
    client_a: Client, contact_needs_substantial: Municipality, oidc_provider: str
) -> None:
    oidc_configure(town=contact_needs_substantial, issuer=oidc_provider, client_id="tangerhuette")
    assert client_a.get("/contact/").status_code == 403

    client_a.get(oidc_provider_answer(client_a))

    assert client_a.get("/contact/").status_code == 200
