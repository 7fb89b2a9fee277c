from django.apps import AppConfig


class VendorConfig(AppConfig):
    name = "rathaus.vendor"
    label = "vendor"
    verbose_name = "Betreiber"
