from typing import Any

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import AccountSection, Module, NavEntry, Role, modules
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality


@modules.register
class Mailbox(Module):
    key = "mailbox"
    title = _("Postfach")
    description = _(
        "Bescheide und Mitteilungen der Verwaltung sicher im Bürgerkonto empfangen, "
        "mit Nachweis der Zustellung."
    )
    citizen_urls = "rathaus.modules.mailbox.urls"
    api_urls = "rathaus.modules.mailbox.api"
    staff_urls = "rathaus.modules.mailbox.staff_urls"
    nav = (
        NavEntry(_("Postfach"), "index"),
        NavEntry(_("Postfach: gesendete Nachrichten"), "index", staff_only=True),
    )
    roles = (
        Role(
            "clerk",
            _("Sachbearbeitung Postfach"),
            _("Nachrichten mit Dokumenten an Bürgerkonten senden, Antworten und Nachweise sehen."),
        ),
    )
    price = "module_mailbox"
    periodic_tasks = {
        # Notices under the retrieval rule not opened in time fall back to a letter.
        "fall-back": {
            "task": "mailbox.fall_back",
            "schedule": crontab(hour=2, minute=30),
            "options": {"expires": 3600},
        },
        # Messages kept past their retention (and not on hold) are deleted, and audited.
        "expire": {
            "task": "mailbox.expire",
            "schedule": crontab(hour=3, minute=40),
            "options": {"expires": 3600},
        },
    }
    # The outbox's "mailbox" channel: services deliver "to a person" into it.
    channels = ("rathaus.modules.mailbox.channel.MailboxChannel",)

    personal_models = (
        "DeliveryConsent",
        "Message",
        "Reply",
        "Document",
        "LegalHold",
        "NotificationChoice",
    )

    @classmethod
    def personal_data_export(cls, *, user: User) -> dict[str, Any]:
        from .personal_data import mailbox_data_export

        return mailbox_data_export(user=user)

    @classmethod
    def personal_data_erase(cls, *, user: User) -> None:
        from .personal_data import mailbox_data_erase

        mailbox_data_erase(user=user)

    audit_actions = {"mailbox.message.": _("Postfach: Nachrichten")}

    @classmethod
    def describe_audit_entry(
        cls, *, action: str, target: str, before: Any, after: Any, actor: str
    ) -> str | None:
        if action == "mailbox.message.fallback":
            words = _("Eine Nachricht wurde nicht rechtzeitig abgerufen und geht per Brief")
            return f"{words} ({target})."
        if action == "mailbox.message.send":
            return str(
                _("%(actor)s hat eine Nachricht in ein Bürgerpostfach gesendet (%(target)s).")
                % {"actor": actor, "target": target}
            )
        return None

    @classmethod
    def account_sections(cls, *, user: User) -> list[AccountSection]:
        from .account import mailbox_account_sections

        return mailbox_account_sections(user=user)

    @classmethod
    def switch_off_consequences(cls, *, town: Municipality) -> list[str]:
        return [
            str(
                _(
                    "Bürgerinnen und Bürger sehen ihr Postfach nicht mehr; die Nachrichten und "
                    "ihre Nachweise bleiben gespeichert. Neue Bescheide gehen per E-Mail "
                    "oder Brief."
                )
            )
        ]

    @classmethod
    def demo_load(cls, *, town: Municipality, actor: Actor) -> None:
        from .demo import demo_load

        demo_load(town=town, actor=actor)
