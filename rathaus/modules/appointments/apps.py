from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "rathaus.modules.appointments"
    label = "appointments"
    verbose_name = "Termine"

    def ready(self) -> None:
        # The booking e-mails the platform's outbox sends (its message kind).
        from . import messages  # noqa: F401
