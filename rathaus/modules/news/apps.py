from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "rathaus.modules.news"
    label = "news"
    verbose_name = "Neuigkeiten"
