# Every booking gets a reference number ("T-7KQ4-2M") that citizens quote and staff
# look up; bookings made before get one too.

from django.db import migrations, models

import rathaus.modules.appointments.references


def number_existing_bookings(apps, schema_editor):
    Booking = apps.get_model("appointments", "Booking")
    taken = set()
    for booking in Booking.objects.filter(reference__isnull=True).only("pk").iterator():
        reference = rathaus.modules.appointments.references.reference_new()
        while reference in taken:
            reference = rathaus.modules.appointments.references.reference_new()
        taken.add(reference)
        Booking.objects.filter(pk=booking.pk).update(reference=reference)


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0006_service_catalogue_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='booking',
            name='reference',
            field=models.CharField(editable=False, max_length=12, null=True),
        ),
        migrations.RunPython(number_existing_bookings, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='booking',
            name='reference',
            field=models.CharField(default=rathaus.modules.appointments.references.reference_new, editable=False, max_length=12, unique=True, verbose_name='Buchungsnummer'),
        ),
    ]
