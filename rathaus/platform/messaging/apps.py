from django.apps import AppConfig
from django.core import checks

from rathaus.platform.messaging.checks import check_broker_redelivery


class MessagingConfig(AppConfig):
    name = "rathaus.platform.messaging"
    label = "messaging"
    verbose_name = "Nachrichten"

    def ready(self) -> None:
        # The platform's own channels, and the messages' section of "Meine Daten".
        from rathaus.platform.messaging import personal_data  # noqa: F401
        from rathaus.platform.messaging.contrib.email import channel as email  # noqa: F401
        from rathaus.platform.messaging.contrib.sms import channel as sms  # noqa: F401

        checks.register(check_broker_redelivery)
