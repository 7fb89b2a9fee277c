"""The state account is set up from a preset: choose, fill the few fields, no JSON."""

from django.test import Client
from django_tenants.utils import tenant_context

from rathaus.platform.federation.models import IdentityProvider
from rathaus.tenants.models import Municipality
from tests.platform.federation.test_settings_page import staff_a

__all__ = ["staff_a"]


def test_the_overview_offers_the_presets_and_other_providers(staff_a: Client) -> None:
    page = staff_a.get("/federation/settings/").content.decode()

    assert "Landeskonto (BundID / Servicekonto)" in page
    assert "BundID (SAML 2.0)" in page
    assert "Servicekonto Sachsen-Anhalt (SAML 2.0)" in page
    assert "Anderer Anbieter mit OpenID Connect (OpenID Connect)" in page


def test_choosing_nothing_says_what_to_choose(staff_a: Client) -> None:
    page = staff_a.get("/federation/settings/setup/", {"choice": ""}).content.decode()

    assert "Bitte wählen Sie, womit sich Bürgerinnen und Bürger anmelden." in page


def test_a_preset_asks_only_for_what_it_leaves_open_and_shows_no_json(staff_a: Client) -> None:
    response = staff_a.get("/federation/settings/setup/", {"choice": "preset-bundid"})
    assert response["Location"] == "/federation/settings/setup/preset-bundid/"

    page = staff_a.get(response["Location"]).content.decode()

    assert "Vorlage: BundID über SAML 2.0." in page
    assert 'value="BundID"' in page
    assert "Metadaten-Adresse des Anbieters" in page
    assert "Client-ID" not in page  # an OpenID Connect field
    assert "Attribut für: Vorname" in page
    assert 'value="givenName"' in page  # the preset's mapping, one input per field
    assert "[]" not in page
    assert "{}" not in page


def test_a_preset_without_metadata_address_gets_a_specific_error(
    staff_a: Client, town_a: Municipality
) -> None:
    response = staff_a.post(
        "/federation/settings/setup/preset-bundid/",
        {"name": "BundID", "saml_metadata_url": "", "trust_level": "substantial"},
    )

    assert response.status_code == 200
    assert "Bitte geben Sie die Metadaten-Adresse des Anbieters an" in response.content.decode()
    with tenant_context(town_a):
        assert not IdentityProvider.objects.exists()


def test_setting_up_bundid_from_its_preset(
    staff_a: Client, town_a: Municipality, saml_idp: str
) -> None:
    response = staff_a.post(
        "/federation/settings/setup/preset-bundid/",
        {
            "name": "BundID",
            "saml_metadata_url": f"{saml_idp}/metadata",
            "trust_level": "substantial",
            "enabled": "on",
            "attributes": "urn:oid:2.5.4.42\nurn:oid:2.5.4.4",
            "map_first_name": "givenName",
            "map_last_name": "sn",
            "map_email": "mail",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/federation/settings/saml/"
    with tenant_context(town_a):
        provider = IdentityProvider.objects.get()
    assert provider.preset_key == "bundid"
    assert provider.enabled
    assert provider.requested_attributes == ["urn:oid:2.5.4.42", "urn:oid:2.5.4.4"]
    assert provider.attribute_mapping == {
        "email": "mail",
        "first_name": "givenName",
        "last_name": "sn",
    }
    assert "EntityDescriptor" in provider.saml_metadata_xml
    page = staff_a.get("/federation/settings/saml/").content.decode()
    assert "Das Landeskonto (BundID / Servicekonto) ist gespeichert: BundID." in page
    log = staff_a.get("/staff/audit/").content.decode()
    assert "amt@example.org hat das Landeskonto (BundID / Servicekonto) über SAML 2.0" in log
    assert "Vorname ← givenName" in log
    assert "{&#x27;" not in log


def test_another_oidc_provider_names_each_missing_field(staff_a: Client) -> None:
    page = staff_a.post(
        "/federation/settings/setup/oidc/",
        {"name": "Servicekonto", "trust_level": "substantial", "map_city": "address locality"},
    ).content.decode()

    assert "Bitte geben Sie die Adresse (Issuer) des Anbieters an." in page
    assert "Bitte geben Sie die Client-ID an, die der Anbieter Ihrer Kommune gegeben hat." in page
    assert "Bitte geben Sie das Client-Secret an, das der Anbieter Ihnen gegeben hat." in page
    assert "Ein Attributname enthält keine Leerzeichen, z. B. given_name." in page


def test_another_oidc_provider_is_saved_with_scopes_and_mapping_as_inputs(
    staff_a: Client, town_a: Municipality, oidc_provider: str
) -> None:
    response = staff_a.post(
        "/federation/settings/setup/oidc/",
        {
            "name": "Servicekonto Musterland",
            "oidc_issuer": oidc_provider,
            "oidc_client_id": "tangerhuette",
            "oidc_client_secret": "geheim",
            "trust_level": "substantial",
            "scopes": "openid  email",
            "map_email": "email",
            "map_city": "address.locality",
        },
    )

    assert response.status_code == 302
    with tenant_context(town_a):
        provider = IdentityProvider.objects.get(protocol="oidc")
    assert provider.oidc_scopes == "openid email"
    assert provider.attribute_mapping == {"email": "email", "city": "address.locality"}
    assert provider.oidc_client_secret == "geheim"
    # Changing it later keeps the secret when the field stays empty.
    staff_a.post(
        "/federation/settings/oidc/",
        {
            "name": "Servicekonto Musterland",
            "oidc_issuer": oidc_provider,
            "oidc_client_id": "tangerhuette-2",
            "trust_level": "high",
        },
    )
    with tenant_context(town_a):
        provider.refresh_from_db()
    assert provider.oidc_client_id == "tangerhuette-2"
    assert provider.oidc_client_secret == "geheim"


def test_one_towns_set_up_is_not_another_towns(
    staff_a: Client, town_a: Municipality, town_b: Municipality, oidc_provider: str
) -> None:
    staff_a.post(
        "/federation/settings/setup/oidc/",
        {
            "name": "Servicekonto Musterland",
            "oidc_issuer": oidc_provider,
            "oidc_client_id": "tangerhuette",
            "oidc_client_secret": "geheim",
            "trust_level": "substantial",
        },
    )

    with tenant_context(town_b):
        assert not IdentityProvider.objects.exists()


def test_an_unknown_preset_is_not_found(staff_a: Client) -> None:
    assert staff_a.get("/federation/settings/setup/preset-nirgendwo/").status_code == 404
