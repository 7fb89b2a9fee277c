"""Settings of bench/migrations.py: development plus a town app the bench adds migrations to."""

from rathaus.config.settings.development import *  # noqa: F403
from rathaus.config.settings.development import INSTALLED_APPS, TENANT_APPS

TENANT_APPS = [*TENANT_APPS, "benchapp"]
INSTALLED_APPS = [*INSTALLED_APPS, "benchapp"]
# The bench writes further migrations into a temporary package named here.
MIGRATION_MODULES = {"benchapp": "bench_migrations"}
SCHEMA_POOL_SIZE = 0
TENANT_MULTIPROCESSING_MAX_PROCESSES = 2
