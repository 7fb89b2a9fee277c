from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "rathaus.platform.identity"
    label = "identity"
    verbose_name = "Konten"

    def ready(self) -> None:
        # The account messages the outbox sends (confirmations, codes, password links).
        from rathaus.platform.identity import messages  # noqa: F401
