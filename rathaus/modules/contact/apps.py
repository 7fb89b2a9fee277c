from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "rathaus.modules.contact"
    label = "contact"
    verbose_name = "Kontakt und Öffnungszeiten"
