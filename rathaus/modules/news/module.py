from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import Module, NavEntry, Role, modules
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality


@modules.register
class News(Module):
    key = "news"
    title = _("Neuigkeiten")
    description = _("Meldungen der Verwaltung zu Ihren Themen, per E-Mail und als Feed.")
    citizen_urls = "rathaus.modules.news.urls"
    staff_urls = "rathaus.modules.news.staff_urls"
    api_urls = "rathaus.modules.news.api_urls"
    nav = (
        NavEntry(_("Neuigkeiten"), "index"),
        NavEntry(_("Redaktion"), "index", staff_only=True),
    )
    roles = (
        Role(
            "editor",
            _("Redaktion"),
            _("Themen anlegen, Beiträge schreiben und veröffentlichen, Zustellung einsehen."),
        ),
    )
    price = "module_news"
    periodic_tasks = {
        # Publishes scheduled posts (their e-mails go through the outbox); idempotent.
        "publish-due": {
            "task": "news.publish_due",
            "schedule": 60.0,
            "options": {"expires": 60},
        },
    }

    @classmethod
    def demo_load(cls, *, town: Municipality, actor: Actor) -> None:
        from .demo import demo_load

        demo_load(town=town, actor=actor)
