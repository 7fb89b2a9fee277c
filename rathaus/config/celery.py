"""The Celery app: tenant-aware, so every task runs in the schema of the town that sent it.

tenant-schemas-celery puts the sender's schema into the task headers and
switches the worker's connection to that schema before the task runs.
"""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.config.settings.development")


class RathausCeleryApp(CeleryApp):
    task_cls = "rathaus.tenants.town_tasks:TownTask"


app = RathausCeleryApp("rathaus")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Finds tasks.py in every installed app, plus the packages that are no apps.
app.autodiscover_tasks(["rathaus.platform.health", "rathaus.billing"])
app.autodiscover_tasks()
