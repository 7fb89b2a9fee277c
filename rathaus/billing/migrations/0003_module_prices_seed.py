"""The vendor's list prices for the modules there are today; the vendor changes them in the admin."""

from decimal import Decimal

from django.db import migrations

PRICES = {
    "module_contact": Decimal("19.00"),
    "module_news": Decimal("29.00"),
    "module_appointments": Decimal("79.00"),
    "module_applications": Decimal("99.00"),
}
# A larger town pays more: from 20,000 inhabitants twice the list price.
LARGE_TOWN = 20_000


def seed(apps, schema_editor):
    ModulePrice = apps.get_model("billing", "ModulePrice")
    for key, monthly in PRICES.items():
        for population_from, factor in ((0, 1), (LARGE_TOWN, 2)):
            ModulePrice.objects.get_or_create(
                price_key=key, interval="month", population_from=population_from,
                defaults={"amount": monthly * factor},
            )
            ModulePrice.objects.get_or_create(
                price_key=key, interval="year", population_from=population_from,
                defaults={"amount": monthly * factor * 10},  # two months free
            )


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_subscriptions_invoices_dunning")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
