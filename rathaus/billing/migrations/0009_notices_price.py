"""The notices module's list price (it came after the seed of 0003)."""

from decimal import Decimal

from django.db import migrations

MONTHLY = Decimal("79.00")
LARGE_TOWN = 20_000


def seed(apps, schema_editor):
    ModulePrice = apps.get_model("billing", "ModulePrice")
    for population_from, factor in ((0, 1), (LARGE_TOWN, 2)):
        for interval, months in (("month", 1), ("year", 10)):  # a year: two months free
            ModulePrice.objects.get_or_create(
                price_key="module_notices",
                interval=interval,
                population_from=population_from,
                defaults={"amount": MONTHLY * factor * months},
            )


class Migration(migrations.Migration):
    dependencies = [("billing", "0008_stripe_event_claim")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
