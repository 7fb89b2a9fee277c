# VendorToken belongs to the vendor app now; its table stays (state only).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("tenants", "0004_vendor_token"),
        ("vendor", "0001_vendor_token_from_tenants"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="VendorToken")],
            database_operations=[],
        ),
    ]
