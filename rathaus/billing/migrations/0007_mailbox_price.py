"""The mailbox module's list price (it came after 0003's seed)."""

from decimal import Decimal

from django.db import migrations

MONTHLY = Decimal("49.00")
LARGE_TOWN = 20_000


def seed(apps, schema_editor):
    ModulePrice = apps.get_model("billing", "ModulePrice")
    for population_from, factor in ((0, 1), (LARGE_TOWN, 2)):
        for interval, months in (("month", 1), ("year", 10)):  # a year: two months free
            ModulePrice.objects.get_or_create(
                price_key="module_mailbox", interval=interval, population_from=population_from,
                defaults={"amount": MONTHLY * factor * months},
            )


class Migration(migrations.Migration):
    dependencies = [("billing", "0006_letters_reported_through")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
