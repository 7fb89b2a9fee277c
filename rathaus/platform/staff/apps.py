from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "rathaus.platform.staff"
    label = "staff"
    verbose_name = "Verwaltung"

    def ready(self) -> None:
        # The invitation the outbox sends to new staff; the audit log's words for our actions.
        from rathaus.platform.staff import audit_wording, invitations  # noqa: F401
