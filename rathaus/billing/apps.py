from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "rathaus.billing"
    label = "billing"
    verbose_name = "Abrechnung"

    def ready(self) -> None:
        from rathaus.billing import receivers  # noqa: F401
