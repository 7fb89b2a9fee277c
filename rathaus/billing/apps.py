from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "rathaus.billing"
    label = "billing"
    verbose_name = "Abrechnung"

    def ready(self) -> None:
        from rathaus.billing import messages, receivers  # noqa: F401
        from rathaus.billing.staff import billing_staff_notices, billing_staff_pages
        from rathaus.platform.staff.menu import staff_notices_provider, staff_pages_provider

        staff_pages_provider(billing_staff_pages)
        staff_notices_provider(billing_staff_notices)
