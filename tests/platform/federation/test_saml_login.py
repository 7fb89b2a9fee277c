"""Login with the state account over SAML 2.0, against a real pysaml2 IdP."""

import base64

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.federation.models import FederatedIdentity
from rathaus.platform.identity.models import Membership, User
from rathaus.tenants.models import Municipality
from rathaus.tenants.services import domain_add
from tests.conftest import host_client
from tests.factories import PASSWORD, UserFactory
from tests.platform.federation.helpers import saml_configure, saml_idp_answer


@pytest.fixture
def saml_a(town_a: Municipality, client_a: Client, saml_idp: str) -> None:
    saml_configure(town=town_a, client=client_a, idp=saml_idp)


def _account(town: Municipality, email: str) -> User | None:
    with tenant_context(town):
        return User.objects.filter(email=email).first()


@pytest.mark.usefixtures("saml_a")
def test_first_login_creates_an_account_with_verified_attributes(
    client_a: Client, town_a: Municipality
) -> None:
    acs, form = saml_idp_answer(client_a)

    response = client_a.post(acs, form)

    assert response.status_code == 302
    account = client_a.get("/accounts/").content.decode()
    assert "Musterfrau" in account
    assert "✓" in account
    user = _account(town_a, "erika.musterfrau@example.org")
    assert user is not None
    assert user.first_name == "Erika"
    assert str(user.birth_date) == "1964-08-12"
    assert {"first_name", "last_name", "birth_date", "email"} <= set(user.verified_fields)
    assert user.email_verified_at is not None
    assert not user.has_usable_password()


@pytest.mark.usefixtures("saml_a")
def test_linking_an_existing_account_keeps_its_data(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        user = UserFactory.create(email="erika@example.org", phone="+4915112345678")
        club = UserFactory.create(email="verein@example.org", kind="association")
        Membership.objects.create(organisation=club, member=user, role="admin")
    client_a.post("/accounts/login/", {"username": "erika@example.org", "password": PASSWORD})

    acs, form = saml_idp_answer(client_a)
    client_a.post(acs, form)

    with tenant_context(town_a):
        user.refresh_from_db()
        assert user.email == "erika@example.org"
        assert str(user.phone) == "+4915112345678"
        assert user.check_password(PASSWORD)
        assert user.last_name == "Musterfrau"
        assert "last_name" in user.verified_fields
        assert Membership.objects.filter(member=user).exists()
        assert FederatedIdentity.objects.get(user=user).subject == "sachsen-anhalt-erika-0001"
        assert not User.objects.filter(email="erika.musterfrau@example.org").exists()


@pytest.mark.usefixtures("saml_a")
def test_unlinking_keeps_the_account_and_drops_the_marks(
    client_a: Client, town_a: Municipality
) -> None:
    acs, form = saml_idp_answer(client_a)
    client_a.post(acs, form)
    with tenant_context(town_a):
        link = FederatedIdentity.objects.get()

    response = client_a.post(f"/federation/unlink/{link.pk}/")

    assert response.status_code == 302
    with tenant_context(town_a):
        assert not FederatedIdentity.objects.exists()
        user = User.objects.get(email="erika.musterfrau@example.org")
        assert user.verified_fields == []


@pytest.mark.usefixtures("saml_a")
def test_a_forged_signature_is_refused(client_a: Client, town_a: Municipality) -> None:
    acs, form = saml_idp_answer(client_a)
    xml = base64.b64decode(form["SAMLResponse"]).decode()
    assert "Musterfrau" in xml
    form["SAMLResponse"] = base64.b64encode(xml.replace("Musterfrau", "Mallory").encode()).decode()

    response = client_a.post(acs, form)

    assert response.status_code == 403
    assert "ungültig" in response.content.decode()
    assert _account(town_a, "erika.musterfrau@example.org") is None


@pytest.mark.usefixtures("saml_a")
def test_an_assertion_for_another_audience_is_refused(
    client_a: Client, town_a: Municipality
) -> None:
    acs, form = saml_idp_answer(client_a, extra={"audience": "http://elsewhere.example/sp"})

    response = client_a.post(acs, form)

    assert response.status_code == 403
    assert _account(town_a, "erika.musterfrau@example.org") is None


@pytest.mark.usefixtures("saml_a")
def test_a_replayed_response_is_refused(client_a: Client, town_a: Municipality) -> None:
    acs, form = saml_idp_answer(client_a)
    assert client_a.post(acs, form).status_code == 302
    client_a.post("/accounts/logout/")

    again = client_a.post(acs, form)
    elsewhere = Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]).post(acs, form)

    assert again.status_code == 403
    assert elsewhere.status_code == 403
    assert "_auth_user_id" not in client_a.session


@pytest.mark.usefixtures("saml_a")
def test_a_login_below_the_towns_trust_level_is_refused(
    client_a: Client, town_a: Municipality
) -> None:
    acs, form = saml_idp_answer(client_a, extra={"loa": "http://eidas.europa.eu/LoA/low"})

    response = client_a.post(acs, form)

    assert response.status_code == 403
    assert "Vertrauensniveau" in response.content.decode()


@pytest.mark.usefixtures("saml_a")
def test_town_a_settings_never_serve_a_login_on_town_b(
    client_a: Client, client_b: Client, town_a: Municipality, town_b: Municipality, saml_idp: str
) -> None:
    # Town B has no SAML settings: nothing of town A's answers there.
    assert client_b.get("/federation/login/saml/").status_code == 404
    assert client_b.get("/federation/saml/metadata/").status_code == 404

    # Town B connects the same IdP; a response made for town A is still refused there.
    saml_configure(town=town_b, client=client_b, idp=saml_idp)
    _acs, form = saml_idp_answer(client_a)
    client_b.get("/federation/login/saml/")  # B's session has its own open request

    response = client_b.post("/federation/saml/acs/", form)

    assert response.status_code == 403
    assert _account(town_b, "erika.musterfrau@example.org") is None


def test_each_town_publishes_its_own_sp_metadata(
    client_a: Client, client_b: Client, town_a: Municipality, town_b: Municipality, saml_idp: str
) -> None:
    saml_configure(town=town_a, client=client_a, idp=saml_idp)
    saml_configure(town=town_b, client=client_b, idp=saml_idp)

    a = client_a.get("/federation/saml/metadata/").content.decode()
    b = client_b.get("/federation/saml/metadata/").content.decode()

    assert 'entityID="http://tangerhuette.localhost/federation/saml/metadata/"' in a
    assert 'entityID="http://hohe-boerde.localhost/federation/saml/metadata/"' in b
    assert "http://tangerhuette.localhost/federation/saml/acs/" in a
    cert = lambda xml: xml.split("X509Certificate>")[1]  # noqa: E731
    assert cert(a) != cert(b)


def test_a_town_with_two_domains_has_one_sp_identity(
    client_a: Client, town_a: Municipality, saml_idp: str
) -> None:
    saml_configure(town=town_a, client=client_a, idp=saml_idp)
    domain_add(town=town_a, domain="rathaus.tangerhuette.de")
    custom = host_client("rathaus.tangerhuette.de")

    on_default = client_a.get("/federation/saml/metadata/").content.decode()
    on_custom = custom.get("/federation/saml/metadata/").content.decode()

    entity_id = 'entityID="http://tangerhuette.localhost/federation/saml/metadata/"'
    assert entity_id in on_default
    assert entity_id in on_custom
    assert 'Location="http://tangerhuette.localhost/federation/saml/acs/"' in on_custom


@pytest.mark.usefixtures("saml_a")
def test_a_login_begun_on_another_domain_of_the_town_continues_on_its_primary_host(
    client_a: Client, town_a: Municipality
) -> None:
    domain_add(town=town_a, domain="rathaus.tangerhuette.de")

    start = host_client("rathaus.tangerhuette.de").get("/federation/login/saml/?next=/contact/")

    assert start.status_code == 302
    assert (
        start["Location"] == "http://tangerhuette.localhost/federation/login/saml/?next=/contact/"
    )
    # The browser follows, on the primary host.
    acs, form = saml_idp_answer(client_a, query="?next=/contact/")
    assert client_a.post(acs, form)["Location"] == "/contact/"
