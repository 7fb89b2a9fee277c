from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "rathaus.platform.payments"
    label = "payments"
    verbose_name = "Zahlungen"

    def ready(self) -> None:
        # The platform's own providers (``contrib/<key>/``) and the audit log's wording.
        from rathaus.platform.payments import audit_wording  # noqa: F401
        from rathaus.platform.payments.contrib.invoice import provider as invoice  # noqa: F401
        from rathaus.platform.payments.contrib.stripe import provider as stripe  # noqa: F401
