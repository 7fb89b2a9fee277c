from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "rathaus.modules.notices"
    label = "notices"
    verbose_name = "Massenbescheide"

    def ready(self) -> None:
        # The outbox kinds of a notice (mailbox and letter) and the print partners.
        from . import messages  # noqa: F401
        from .printing.contrib.pingen import adapter  # noqa: F401
