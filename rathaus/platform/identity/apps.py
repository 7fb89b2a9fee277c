from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "rathaus.platform.identity"
    label = "identity"
    verbose_name = "Konten"
