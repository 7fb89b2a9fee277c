"""pg_trgm, for the catalogue's typo-tolerant search, created once in the public schema.

The catalogue is a public-schema app, so this runs before any town schema is
built, and ``public`` is on every town's search path: each town finds
``word_similarity``. pg_trgm is a trusted extension (PostgreSQL 13 and later),
so the database's owner creates it without being a superuser.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [TrigramExtension()]
