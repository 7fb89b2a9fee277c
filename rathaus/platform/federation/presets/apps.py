from django.apps import AppConfig


class FederationPresetsConfig(AppConfig):
    name = "rathaus.platform.federation.presets"
    label = "federation_presets"
    verbose_name = "Landeskonto-Vorlagen"
