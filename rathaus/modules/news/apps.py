from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "rathaus.modules.news"
    label = "news"
    verbose_name = "Neuigkeiten"

    def ready(self) -> None:
        # The e-mails the platform's outbox sends for news (posts, the double opt-in).
        from . import delivery, opt_in  # noqa: F401
