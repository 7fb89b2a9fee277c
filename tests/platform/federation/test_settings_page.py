"""The town admin's settings page, "test connection", secrets at rest and vendor presets."""

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.federation.models import IdentityProvider
from rathaus.platform.federation.presets.models import FederationPreset
from rathaus.platform.federation.presets.services import all_tenants_preset_apply
from rathaus.platform.staff.models import TOWN_ADMIN
from rathaus.tenants.models import Municipality
from tests.factories import PASSWORD, UserFactory
from tests.platform.staff.conftest import make_staff


@pytest.fixture
def staff_a(client_a: Client, town_a: Municipality) -> Client:
    make_staff(town_a, "amt@example.org", [TOWN_ADMIN])
    client_a.post("/accounts/login/", {"username": "amt@example.org", "password": PASSWORD})
    return client_a


def _oidc_form(issuer: str, **extra: str) -> dict[str, str]:
    return {
        "name": "BundID",
        "enabled": "on",
        "oidc_issuer": issuer,
        "oidc_client_id": "tangerhuette",
        "oidc_client_secret": "geheimes-secret",
        "oidc_scopes": "openid email profile",
        "requested_attributes": "[]",
        "attribute_mapping": "{}",
        "trust_level": "substantial",
        **extra,
    }


def _saml_form(**extra: object) -> dict[str, object]:
    return {
        "name": "Servicekonto",
        "saml_metadata_url": "",
        "saml_metadata_xml": "",
        "requested_attributes": "[]",
        "attribute_mapping": "{}",
        "trust_level": "substantial",
        **extra,
    }


def test_citizens_cannot_open_the_settings(client_a: Client, town_a: Municipality) -> None:
    with tenant_context(town_a):
        UserFactory(email="buerger@example.org")
    client_a.post("/accounts/login/", {"username": "buerger@example.org", "password": PASSWORD})

    assert client_a.get("/federation/settings/").status_code == 403


def test_admin_saves_oidc_settings_and_the_secret_is_encrypted_at_rest(
    staff_a: Client, town_a: Municipality, oidc_provider: str
) -> None:
    response = staff_a.post("/federation/settings/oidc/", _oidc_form(oidc_provider))

    assert response.status_code == 302
    page = staff_a.get("/federation/settings/oidc/").content.decode()
    assert "geheimes-secret" not in page
    assert "http://tangerhuette.localhost/federation/oidc/callback/" in page
    with tenant_context(town_a):
        assert IdentityProvider.objects.get().oidc_client_secret == "geheimes-secret"
        with connection.cursor() as cursor:
            cursor.execute("SELECT oidc_client_secret FROM federation_identityprovider")
            stored = cursor.fetchone()[0]
    assert "geheimes-secret" not in stored


def test_test_connection_says_what_works(staff_a: Client, oidc_provider: str) -> None:
    good = staff_a.post("/federation/settings/oidc/", _oidc_form(oidc_provider, test="1"))
    bad = staff_a.post(
        "/federation/settings/oidc/", _oidc_form("http://127.0.0.1:9/nothing", test="1")
    )

    assert "✓ PKCE (S256)" in good.content.decode()
    assert "✓ Schlüssel (JWKS)" in good.content.decode()
    assert "✗ Discovery-Dokument" in bad.content.decode()


def test_saml_test_connection_reads_the_idp_metadata(staff_a: Client, saml_idp: str) -> None:
    form = _saml_form(saml_metadata_url=f"{saml_idp}/metadata")
    staff_a.post("/federation/settings/saml/", form)

    page = staff_a.post("/federation/settings/saml/", {**form, "test": "1"}).content.decode()

    assert f"✓ Identity Provider: {saml_idp}/metadata" in page
    assert "✓ Anmeldeadresse antwortet" in page
    assert staff_a.get("/federation/saml/metadata/").status_code == 200


def test_saml_test_connection_works_before_the_first_save(
    staff_a: Client, town_a: Municipality, saml_idp: str
) -> None:
    form = _saml_form(saml_metadata_url=f"{saml_idp}/metadata", test="1")

    page = staff_a.post("/federation/settings/saml/", form).content.decode()

    assert f"✓ Identity Provider: {saml_idp}/metadata" in page
    assert "✗ Eigener SP-Schlüssel" in page  # made on the first save
    with tenant_context(town_a):
        assert not IdentityProvider.objects.exists()


def test_vendor_presets_apply_to_many_towns(
    staff_a: Client, town_a: Municipality, town_b: Municipality
) -> None:
    preset = FederationPreset.objects.get(key="servicekonto-sachsen-anhalt")

    assert all_tenants_preset_apply(preset=preset, towns=[town_a, town_b]) == 2

    for town in (town_a, town_b):
        with tenant_context(town):
            provider = IdentityProvider.objects.get()
            assert provider.name == "Servicekonto Sachsen-Anhalt"
            assert provider.sp_private_key
    page = staff_a.get("/federation/settings/").content.decode()
    assert "BundID" in page
    assert "Servicekonto Sachsen-Anhalt" in page


def test_a_settings_change_is_audited_without_the_secret(
    staff_a: Client, town_a: Municipality, oidc_provider: str
) -> None:
    staff_a.post("/federation/settings/oidc/", _oidc_form(oidc_provider))

    with tenant_context(town_a):
        entry = AuditEntry.objects.get(action="federation.save")
    assert entry.actor == "amt@example.org"
    assert (entry.after or {})["oidc_client_id"] == "tangerhuette"
    assert "geheimes-secret" not in str(entry.after)


def test_saml_metadata_can_be_uploaded_as_a_file(
    staff_a: Client, town_a: Municipality, saml_idp: str
) -> None:
    import requests
    from django.core.files.uploadedfile import SimpleUploadedFile

    metadata = requests.get(f"{saml_idp}/metadata", timeout=10).content
    form = _saml_form(
        saml_metadata_file=SimpleUploadedFile("idp.xml", metadata, content_type="text/xml")
    )

    response = staff_a.post("/federation/settings/saml/", form)

    assert response.status_code == 302
    with tenant_context(town_a):
        stored = IdentityProvider.objects.get(protocol="saml")
    assert f"{saml_idp}/metadata".encode() in metadata
    assert stored.saml_metadata_xml.strip() == metadata.decode().strip()


def test_saml_settings_by_metadata_url_store_the_metadata_on_save(
    staff_a: Client, town_a: Municipality, saml_idp: str
) -> None:
    response = staff_a.post(
        "/federation/settings/saml/",
        _saml_form(saml_metadata_url=f"{saml_idp}/metadata"),
    )

    assert response.status_code == 302
    with tenant_context(town_a):
        assert "EntityDescriptor" in IdentityProvider.objects.get(protocol="saml").saml_metadata_xml


def test_an_unreachable_metadata_url_is_named_and_nothing_is_saved(
    staff_a: Client, town_a: Municipality
) -> None:
    response = staff_a.post(
        "/federation/settings/saml/",
        _saml_form(saml_metadata_url="http://127.0.0.1:9/metadata"),
    )

    assert response.status_code == 200
    assert "Die Metadaten konnten nicht geladen werden" in response.content.decode()
    with tenant_context(town_a):
        assert not IdentityProvider.objects.filter(protocol="saml").exists()
