"""The outbox kinds of a case's messages to the citizen: a Rückfrage and the decision,
each for the mailbox and for e-mail (``cases.citizen_tell`` picks the channel)."""

from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import Attachment, MessageKind, Rendered, kinds
from rathaus.platform.storage.private import private_storage
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url

from .cases import (
    ANSWERED_EMAIL,
    DECISION_EMAIL,
    DECISION_MAILBOX,
    QUERY_EMAIL,
    QUERY_MAILBOX,
    guest_token,
)
from .definition import text_in
from .models import CaseEvent, Submission

PDF = "application/pdf"


def _event(message: OutboxMessage) -> CaseEvent | None:
    event = (
        CaseEvent.objects.select_related("submission__version")
        .filter(
            pk=int(message.context.get("event", 0)),
            submission_id=int(message.context.get("submission", 0)),
        )
        .first()
    )
    if event is None or not event.submission.answers:
        return None  # gone or anonymised since
    return event


def _case_url(submission: Submission) -> str:
    """The case's page: under "Meine Anträge" for an account, else the guest's link."""
    if submission.user_id:
        path = reverse("applications:case", args=[submission.reference])
    else:
        path = reverse("applications:guest-case", args=[guest_token(submission=submission)])
    return town_url(town=current_town(), path=path)


class _QueryKind(MessageKind):
    def render(self, message: OutboxMessage) -> Rendered | None:
        event = _event(message)
        if event is None:
            return None
        submission = event.submission
        title = text_in(submission.version.definition["title"])
        subject = gettext("Rückfrage zu Ihrem Antrag %(reference)s") % {
            "reference": submission.reference
        }
        body = "\n\n".join(
            [
                gettext("Guten Tag,"),
                gettext(
                    "zu Ihrem Antrag „%(title)s“ (Aktenzeichen %(reference)s) haben wir eine Frage:"
                )
                % {"title": title, "reference": submission.reference},
                event.text,
                gettext(
                    "Bitte antworten Sie auf der Seite Ihres Antrags; dort können Sie auch "
                    "Unterlagen hochladen: %(url)s"
                )
                % {"url": _case_url(submission)},
                gettext("Mit freundlichen Grüßen\n%(town)s") % {"town": current_town().name},
            ]
        )
        return Rendered(
            subject=subject,
            body=body,
            headers={"Mailbox-Reference": submission.reference},
        )


@kinds.register(QUERY_MAILBOX)
class QueryToMailbox(_QueryKind):
    channel = "mailbox"
    label = gettext_lazy("Rückfrage zu einem Antrag (Postfach)")


@kinds.register(QUERY_EMAIL)
class QueryByEmail(_QueryKind):
    channel = "email"
    label = gettext_lazy("Rückfrage zu einem Antrag (E-Mail)")


class _DecisionKind(MessageKind):
    def render(self, message: OutboxMessage) -> Rendered | None:
        event = _event(message)
        if event is None or not event.files:
            return None
        submission = event.submission
        title = text_in(submission.version.definition["title"])
        subject = gettext("Entscheidung zu Ihrem Antrag %(reference)s") % {
            "reference": submission.reference
        }
        body = "\n\n".join(
            [
                gettext("Guten Tag,"),
                gettext(
                    "über Ihren Antrag „%(title)s“ (Aktenzeichen %(reference)s) ist "
                    "entschieden: %(status)s. Den Bescheid finden Sie im beigefügten "
                    "PDF-Dokument und auf der Seite Ihres Antrags: %(url)s"
                )
                % {
                    "title": title,
                    "reference": submission.reference,
                    "status": submission.get_status_display(),
                    "url": _case_url(submission),
                },
                gettext("Mit freundlichen Grüßen\n%(town)s") % {"town": current_town().name},
            ]
        )
        attachments = []
        for item in event.files:
            with private_storage().open(item["file"], "rb") as stored:
                attachments.append(
                    Attachment(filename=item["name"], content=stored.read(), mimetype=PDF)
                )
        return Rendered(
            subject=subject,
            body=body,
            headers={"Mailbox-Kind": "notice", "Mailbox-Reference": submission.reference},
            attachments=tuple(attachments),
        )


@kinds.register(DECISION_MAILBOX)
class DecisionToMailbox(_DecisionKind):
    channel = "mailbox"
    label = gettext_lazy("Bescheid zu einem Antrag (Postfach)")


@kinds.register(DECISION_EMAIL)
class DecisionByEmail(_DecisionKind):
    channel = "email"
    label = gettext_lazy("Bescheid zu einem Antrag (E-Mail)")


@kinds.register(ANSWERED_EMAIL)
class AnsweredToClerk(MessageKind):
    """To the clerk the case is assigned to: the citizen answered the Rückfrage. It names
    the case and links it; what the citizen wrote stays in the case."""

    channel = "email"
    label = gettext_lazy("Antwort auf eine Rückfrage (an die Sachbearbeitung)")

    def render(self, message: OutboxMessage) -> Rendered | None:
        event = _event(message)
        if event is None:
            return None
        submission = event.submission
        path = reverse("staff-applications:case", args=[submission.pk])
        subject = gettext("Antwort auf Ihre Rückfrage zum Antrag %(reference)s") % {
            "reference": submission.reference
        }
        body = "\n\n".join(
            [
                gettext(
                    "Zum Antrag %(reference)s („%(title)s“) ist die Antwort auf Ihre "
                    "Rückfrage eingegangen (%(files)s). Der Antrag ist wieder in Bearbeitung:"
                )
                % {
                    "reference": submission.reference,
                    "title": text_in(submission.version.definition["title"]),
                    "files": ngettext("%(n)s Datei", "%(n)s Dateien", len(event.files))
                    % {"n": len(event.files)},
                },
                town_url(town=current_town(), path=path),
            ]
        )
        return Rendered(subject=subject, body=body)
