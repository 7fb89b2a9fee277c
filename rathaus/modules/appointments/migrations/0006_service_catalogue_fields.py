"""Service fields the catalogue shows: page address, summary, life situations, keywords, fee."""

import django.contrib.postgres.fields
import django.core.validators
from django.db import migrations, models


def fill_slugs(apps, schema_editor):
    from rathaus.modules.appointments.models import service_slug

    Service = apps.get_model("appointments", "Service")
    taken = set()
    for service in Service.objects.order_by("pk"):
        service.slug = service_slug(service.name, taken=taken)
        taken.add(service.slug)
        service.save(update_fields=["slug"])


class Migration(migrations.Migration):

    dependencies = [
        ('appointments', '0005_booking_language_mails_move_to_the_outbox'),
    ]

    operations = [
        # Existing services get an address from their name first, then it is made unique.
        migrations.AddField(
            model_name='service',
            name='slug',
            field=models.SlugField(blank=True, max_length=100, default='', db_index=False),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='service',
            name='slug',
            field=models.SlugField(blank=True, help_text='Teil der Adresse der Leistungsseite, z. B. „personalausweis-beantragen“. Leer: aus dem Namen. Bleibt gleich, wenn sich der Name ändert.', max_length=100, unique=True, verbose_name='Adresse der Seite'),
        ),
        migrations.AddField(
            model_name='service',
            name='fee',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='Leer: keine Angabe. 0: kostenlos.', max_digits=8, null=True, validators=[django.core.validators.MinValueValidator(0)], verbose_name='Gebühr in Euro'),
        ),
        migrations.AddField(
            model_name='service',
            name='fee_note',
            field=models.CharField(blank=True, help_text='Wenn die Gebühr abhängt, z. B. „37,00 €, unter 24 Jahren 22,80 €“. Wird statt des Betrags gezeigt.', max_length=200, verbose_name='Gebühr als Text'),
        ),
        migrations.AddField(
            model_name='service',
            name='keywords',
            field=models.CharField(blank=True, help_text='Weitere Wörter, unter denen man die Leistung sucht, durch Kommas getrennt, gern auch auf Englisch, z. B. „Perso, Ausweis, ID card“.', max_length=500, verbose_name='Suchbegriffe'),
        ),
        migrations.AddField(
            model_name='service',
            name='life_situations',
            field=django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('ausweise-und-dokumente', 'Ausweise und Dokumente'), ('umzug-und-meldewesen', 'Umzug und Meldewesen'), ('familie-und-kinder', 'Familie und Kinder'), ('tiere', 'Tiere'), ('bauen-und-wohnen', 'Bauen und Wohnen'), ('gewerbe-und-arbeit', 'Gewerbe und Arbeit'), ('sicherheit-und-feuerwehr', 'Sicherheit und Feuerwehr'), ('rathaus-und-politik', 'Rathaus und Politik')], max_length=50), blank=True, default=list, size=None, verbose_name='Lebenslagen'),
        ),
        migrations.AddField(
            model_name='service',
            name='popular',
            field=models.BooleanField(default=False, help_text='Auf der Startseite unter den häufig gefragten Leistungen zeigen.', verbose_name='häufig gefragt'),
        ),
        migrations.AddField(
            model_name='service',
            name='processing_time',
            field=models.CharField(blank=True, help_text='Bis die Sache erledigt ist, z. B. „etwa 3 bis 4 Wochen“.', max_length=200, verbose_name='Bearbeitungsdauer'),
        ),
        migrations.AddField(
            model_name='service',
            name='summary',
            field=models.CharField(blank=True, help_text='Ein Satz für die Übersicht und die Suche.', max_length=300, verbose_name='Kurzbeschreibung'),
        ),
    ]
