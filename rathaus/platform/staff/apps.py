from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "rathaus.platform.staff"
    label = "staff"
    verbose_name = "Verwaltung"

    def ready(self) -> None:
        # The invitation the outbox sends to new staff.
        from rathaus.platform.staff import invitations  # noqa: F401
