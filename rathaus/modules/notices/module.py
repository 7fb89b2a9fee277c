from typing import Any

from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import Module, NavEntry, Role, modules
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.tenants.models import Municipality


@modules.register
class Notices(Module):
    key = "notices"
    title = _("Massenbescheide")
    description = _(
        "Tausende persönliche Bescheide aus einer Datei: ins Postfach, wer zugestimmt hat, "
        "sonst als Brief über einen Druckdienstleister, keiner doppelt."
    )
    citizen_urls = "rathaus.modules.notices.urls"
    staff_urls = "rathaus.modules.notices.staff_urls"
    nav = (NavEntry(_("Massenbescheide"), "index", staff_only=True),)
    roles = (
        Role(
            "clerk",
            _("Sachbearbeitung Massenbescheide"),
            _(
                "Vorlagen pflegen, Dateien hochladen und prüfen, die Läufe anderer freigeben "
                "und verfolgen."
            ),
        ),
    )
    price = "module_notices"
    periodic_tasks = {
        "print-status": {
            "task": "notices.print_status",
            "schedule": 30 * 60,
            "options": {"expires": 1500},
        },
    }
    # The outbox's "letter" channel: what a service sends as a letter is printed and posted.
    channels = ("rathaus.modules.notices.channel.LetterChannel",)

    personal_models = ("Recipient",)
    exempt_models = {
        "Template": "a town's letter template, no person's data",
        "Run": "a file's name and the staff who uploaded and released it",
        "PrintJob": "a print partner's id and status of a letter, keyed by the outbox key",
    }

    @classmethod
    def personal_data_export(cls, *, user: User) -> dict[str, Any]:
        from .models import Recipient

        return {
            "notices": [
                {
                    "run": str(recipient.run.public_id),
                    "line": recipient.line,
                    "key": recipient.recipient_key,
                    "name": recipient.name,
                    "address": recipient.address_lines,
                    "values": recipient.values,
                    "route": recipient.route,
                }
                for recipient in Recipient.objects.filter(account=user).select_related("run")
            ]
        }

    @classmethod
    def personal_data_erase(cls, *, user: User) -> None:
        # The run keeps a line for the notice (its delivery and report), nothing of the person.
        from django.db.models import F, Value
        from django.db.models.functions import Concat

        from .models import Recipient

        Recipient.objects.filter(account=user).update(
            account=None,
            recipient_key=Concat(Value("geloescht-"), F("pk")),
            name="",
            street="",
            postcode="",
            city="",
            values={},
        )

    audit_actions = {
        "notices.template.": _("Massenbescheide: Vorlagen"),
        "notices.run.": _("Massenbescheide: Versandläufe"),
    }

    @classmethod
    def describe_audit_entry(
        cls, *, action: str, target: str, before: Any, after: Any, actor: str
    ) -> str | None:
        words = {
            "notices.run.upload": _("%(actor)s hat eine Datei für einen Versandlauf hochgeladen"),
            "notices.run.release": _("%(actor)s hat einen Versandlauf freigegeben"),
            "notices.run.pause": _("%(actor)s hat einen Versandlauf angehalten"),
            "notices.run.resume": _("%(actor)s hat einen Versandlauf fortgesetzt"),
        }.get(action)
        if words is None:
            return None
        return f"{words % {'actor': actor}} ({target})."

    @classmethod
    def switch_off_consequences(cls, *, town: Municipality) -> list[str]:
        return [
            str(
                _(
                    "Es lassen sich keine Versandläufe mehr starten; laufende halten an, Briefe "
                    "gehen nicht mehr an den Druckdienstleister. Vorlagen und Berichte bleiben."
                )
            )
        ]

    @classmethod
    def demo_load(cls, *, town: Municipality, actor: Actor) -> None:
        from .demo_data import demo_load

        demo_load(town=town, actor=actor)
