from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "rathaus.platform.portal"
    label = "portal"
    verbose_name = "Portal"
