from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "rathaus.platform.audit"
    label = "audit"
    verbose_name = "Protokoll"
