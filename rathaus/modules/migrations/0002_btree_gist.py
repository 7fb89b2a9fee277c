"""PostgreSQL extensions that modules' tables need, created once in the public schema.

Made here, in a public-schema app, so the extension exists (committed) before
any town schema is built. Created from inside a town's migration instead, it
is taken by whichever transaction first builds a town schema, and a second
process building another schema at that moment waits on it.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("modules", "0001_initial")]

    operations = [BtreeGistExtension()]
