"""News' words in the town's audit log, and what switching the module off means."""

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from rathaus.platform.audit.wording import changes_generic

from .models import Post, Subscriber, Topic

LABELS = {"name": gettext_lazy("Name"), "description": gettext_lazy("Beschreibung")}


def _post(target: str) -> str:
    post = Post.objects.filter(pk=int(target)).first() if target.isdigit() else None
    return _("den Beitrag „%(title)s“") % {"title": post.title} if post else _("einen Beitrag")


def _topic(slug: str) -> str:
    topic = Topic.objects.filter(slug=slug).first()
    return _("das Thema „%(name)s“") % {"name": topic.name if topic else slug}


def news_audit_words(
    *, action: str, target: str, before: Any, after: Any, actor: str
) -> str | None:
    values = {"actor": actor}
    if action == "news.topic.create":
        return _("%(actor)s hat %(topic)s angelegt.") % {**values, "topic": _topic(target)}
    if action == "news.topic.update":
        changes = "; ".join(changes_generic(before, after, labels=dict(LABELS)))
        sentence = _("%(actor)s hat %(topic)s geändert.") % {**values, "topic": _topic(target)}
        return f"{sentence} {changes}" if changes else sentence
    if action == "news.post.create":
        return _("%(actor)s hat %(post)s geschrieben.") % {**values, "post": _post(target)}
    if action == "news.post.schedule":
        when = ""
        if isinstance(after, str):
            moment = timezone.localtime(datetime.fromisoformat(after))
            when = moment.strftime("%d.%m.%Y %H:%M")
        return _("%(actor)s hat %(post)s für %(when)s geplant.") % {
            **values,
            "post": _post(target),
            "when": when,
        }
    if action == "news.post.publish":
        return _("%(actor)s hat %(post)s veröffentlicht.") % {**values, "post": _post(target)}
    return None


def news_switch_off_consequences() -> list[str]:
    """What really happens when a town switches news off (nothing is deleted).

    The pages, feeds and API answer 404 (unsubscribe links in sent e-mails
    included), and the beat skips the town, so scheduled posts wait.
    """
    said = []
    receiving = Subscriber.objects.filter(
        confirmed_at__isnull=False, unsubscribed_at__isnull=True
    ).count()
    if receiving:
        said.append(
            ngettext(
                "%(n)s Abonnement bleibt gespeichert, bekommt aber keine Beiträge mehr.",
                "%(n)s Abonnements bleiben gespeichert, bekommen aber keine Beiträge mehr.",
                receiving,
            )
            % {"n": receiving}
        )
    scheduled = Post.objects.filter(status=Post.Status.SCHEDULED).count()
    if scheduled:
        said.append(
            ngettext(
                "%(n)s geplanter Beitrag wird nicht veröffentlicht, solange der Dienst aus ist; "
                "nach dem Einschalten erscheint er sofort, wenn sein Zeitpunkt vorbei ist.",
                "%(n)s geplante Beiträge werden nicht veröffentlicht, solange der Dienst aus ist; "
                "nach dem Einschalten erscheinen sie sofort, wenn ihr Zeitpunkt vorbei ist.",
                scheduled,
            )
            % {"n": scheduled}
        )
    said.append(
        _(
            "Die Neuigkeiten, ihre Feeds und die Abmelde-Links in bereits verschickten "
            "E-Mails sind nicht mehr erreichbar."
        )
    )
    return said
