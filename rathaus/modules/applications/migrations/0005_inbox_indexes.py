"""The inbox with many cases: newest first by an index, and its search on the case number
and the applicant's name by trigram indexes on ``UPPER(...)``, the expression Django's
``icontains`` compares (pg_trgm lives in the public schema, on every town's path)."""

from django.db import migrations, models

TRIGRAM = [
    (
        'CREATE INDEX IF NOT EXISTS applications_ref_trgm ON applications_submission '
        'USING gin ((UPPER("reference"::text)) gin_trgm_ops)',
        "DROP INDEX IF EXISTS applications_ref_trgm",
    ),
    (
        'CREATE INDEX IF NOT EXISTS applications_name_trgm ON applications_submission '
        'USING gin ((UPPER("applicant_name"::text)) gin_trgm_ops)',
        "DROP INDEX IF EXISTS applications_name_trgm",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_case_workflow")]

    operations = [
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["-submitted_at", "-id"], name="applications_newest"),
        ),
        *[migrations.RunSQL(sql, reverse_sql=reverse) for sql, reverse in TRIGRAM],
    ]
