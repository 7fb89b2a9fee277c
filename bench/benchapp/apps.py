from django.apps import AppConfig


class BenchAppConfig(AppConfig):
    """A town app for bench/migrations.py only: the bench adds migrations to it."""

    name = "benchapp"
    default_auto_field = "django.db.models.BigAutoField"
