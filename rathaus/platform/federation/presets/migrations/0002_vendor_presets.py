"""The two presets the vendor starts with. Metadata URLs are entered by the vendor
once the provider has registered the deployment; nothing here is a secret."""

from django.db import migrations

# Attribute names as the German state accounts send them (SAML, urn:oid form).
MAPPING = {
    "email": "mail",
    "first_name": "givenName",
    "last_name": "sn",
    "birth_date": "urn:oid:1.2.40.0.10.2.1.1.55",
    "street": "street",
    "postal_code": "postalCode",
    "city": "l",
}
ATTRIBUTES = [
    "urn:oid:0.9.2342.19200300.100.1.3",
    "urn:oid:2.5.4.42",
    "urn:oid:2.5.4.4",
    "urn:oid:1.2.40.0.10.2.1.1.55",
    "urn:oid:2.5.4.9",
    "urn:oid:2.5.4.17",
    "urn:oid:2.5.4.7",
]


def create(apps, schema_editor):
    Preset = apps.get_model("federation_presets", "FederationPreset")
    for key, name in [
        ("servicekonto-sachsen-anhalt", "Servicekonto Sachsen-Anhalt"),
        ("bundid", "BundID"),
    ]:
        Preset.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "protocol": "saml",
                "requested_attributes": ATTRIBUTES,
                "attribute_mapping": MAPPING,
                "trust_level": "substantial",
            },
        )


class Migration(migrations.Migration):
    dependencies = [("federation_presets", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
