from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "rathaus.platform.staff"
    label = "staff"
    verbose_name = "Verwaltung"
