from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "rathaus.platform.catalogue"
    label = "catalogue"
    verbose_name = "Leistungen"
