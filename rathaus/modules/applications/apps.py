from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "rathaus.modules.applications"
    label = "applications"
    verbose_name = "Online-Anträge"

    def ready(self) -> None:
        # The receipt e-mail the platform's outbox sends for a submitted application.
        from . import case_messages, messages  # noqa: F401
