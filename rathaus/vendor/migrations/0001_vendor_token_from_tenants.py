# The model moved here from the tenants app; its table stays (state only).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("tenants", "0004_vendor_token"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="VendorToken",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=100, verbose_name="Bezeichnung")),
                        ("key_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="vendor_tokens", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "tenants_vendortoken",
                        "verbose_name": "API-Schlüssel des Betreibers",
                        "verbose_name_plural": "API-Schlüssel des Betreibers",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
