from django.apps import AppConfig


class MailboxConfig(AppConfig):
    name = "rathaus.modules.mailbox"
    label = "mailbox"
    verbose_name = "Postfach"

    def ready(self) -> None:
        # The notification e-mail ("something arrived") the platform's outbox sends.
        from . import messages  # noqa: F401
