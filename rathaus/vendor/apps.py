from django.apps import AppConfig


class VendorConfig(AppConfig):
    name = "rathaus.vendor"
    label = "vendor"
    verbose_name = "Betreiber"

    def ready(self) -> None:
        # How a town's audit log words what the vendor did.
        from rathaus.vendor import audit_wording  # noqa: F401
