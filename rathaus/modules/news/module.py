from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import AccountSection, Module, NavEntry, Role, modules
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality

if TYPE_CHECKING:
    from rathaus.platform.catalogue.entries import ServiceEntry


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

    # The e-mails sent to a person are the platform outbox's (its own personal-data section).
    personal_models = ("Subscriber", "Post")
    exempt_models = {"Topic": "a subject the town writes about"}

    @classmethod
    def personal_data_export(cls, *, user: User) -> dict[str, Any]:
        from .personal_data import subscriptions_data_export

        return subscriptions_data_export(user=user)

    @classmethod
    def personal_data_erase(cls, *, user: User) -> None:
        from .personal_data import subscriptions_data_erase

        subscriptions_data_erase(user=user)

    audit_actions = {
        "news.topic.": _("Neuigkeiten: Themen"),
        "news.post.": _("Neuigkeiten: Beiträge"),
    }

    @classmethod
    def describe_audit_entry(
        cls, *, action: str, target: str, before: Any, after: Any, actor: str
    ) -> str | None:
        from .audit import news_audit_words

        return news_audit_words(
            action=action, target=target, before=before, after=after, actor=actor
        )

    @classmethod
    def switch_off_consequences(cls, *, town: Municipality) -> list[str]:
        from .audit import news_switch_off_consequences

        return news_switch_off_consequences()

    @classmethod
    def account_sections(cls, *, user: User) -> list[AccountSection]:
        from .account import news_account_sections

        return news_account_sections(user=user)

    @classmethod
    def catalogue_entries(cls) -> list["ServiceEntry"]:
        from .catalogue import news_catalogue_entries

        return news_catalogue_entries()

    @classmethod
    def demo_load(cls, *, town: Municipality, actor: Actor) -> None:
        from .demo import demo_load

        demo_load(town=town, actor=actor)

    @classmethod
    def town_export(cls, *, town: Municipality) -> dict[str, list[dict[str, Any]]]:
        from .town_export import news_town_export

        return news_town_export()
