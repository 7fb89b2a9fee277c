from django.apps import AppConfig


class BrandingConfig(AppConfig):
    name = "rathaus.platform.branding"
    label = "branding"
    verbose_name = "Erscheinungsbild"
