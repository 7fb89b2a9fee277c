from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ModulesConfig(AppConfig):
    name = "rathaus.modules"
    label = "modules"
    verbose_name = "Dienste"

    def ready(self) -> None:
        # Every installed app's module.py registers its module; nothing else
        # lists module names.
        autodiscover_modules("module")
        from rathaus.modules import signals  # noqa: F401
        from rathaus.modules.registry import module_beat_schedule
        from rathaus.platform.celery import app

        app.conf.beat_schedule = {**app.conf.beat_schedule, **module_beat_schedule()}
