"""The double opt-in e-mail: queued with the request, sent once by a task, then forgotten.

``subscription_request`` (services) stores an ``OptInMail`` and queues
``news.send_opt_in`` when the row is committed. ``opt_in_mail_send`` claims the
row in a short transaction of its own, hands the e-mail to SMTP with no
transaction open, and deletes the row. A task that runs again finds the row
claimed or gone and sends nothing; if the mail server could not take the
e-mail, the claim is released and the task retries. Beat (``opt_in_mails_tidy``)
queues again what a lost task left waiting and drops what is too old to matter.
"""

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

from .delivery import DeliveryInterrupted
from .models import OptInMail, Topic
from .selectors import town_sender
from .tokens import CONFIRM_MAX_AGE, confirm_token

logger = logging.getLogger(__name__)

# A row still waiting after this long lost its task (the broker dropped it, retries
# ran out while the mail server was down): beat queues it again.
LOST_AFTER = timedelta(minutes=10)
# A claimed row whose task died before sending stays unsent (it may have gone out);
# after this long it is dropped, as is everything older than a confirmation link lives.
CLAIM_KEPT = timedelta(hours=1)


def _message(*, town: Municipality, mail: OptInMail) -> EmailMessage:
    topics = list(Topic.objects.filter(pk__in=mail.topic_ids).order_by("name"))
    token = confirm_token(email=mail.email, topic_ids=[topic.pk for topic in topics])
    base = town_url(town=town, path="")
    with translation.override(mail.language or None):
        body = render_to_string(
            "news/email/confirm.txt",
            {
                "town": town,
                "topics": topics,
                "confirm_url": base + reverse("news:confirm", kwargs={"token": token}),
            },
        )
        subject = gettext("%(town)s: Bitte bestätigen Sie Ihr Abonnement") % {"town": town.name}
    host = urlsplit(base).hostname or "localhost"
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=town_sender(town=town),
        to=[mail.email],
        # Stable per request: should it ever go out twice, mail clients show it once.
        headers={"Message-ID": f"<news.opt-in.{mail.pk}.{current_schema_name()}@{host}>"},
    )


def opt_in_mail_send(*, town: Municipality, mail_id: int) -> bool:
    """Sends the queued opt-in e-mail ``mail_id`` once; ``True`` if it went out now.

    Raises ``DeliveryInterrupted`` when the mail server could not take it; the
    row is then waiting again, for the task's retry.
    """
    claimed = OptInMail.objects.filter(pk=mail_id, claimed_at__isnull=True).update(
        claimed_at=timezone.now()
    )
    if not claimed:
        return False  # sent already, being sent, or dropped
    mail = OptInMail.objects.get(pk=mail_id)
    if not Topic.objects.filter(pk__in=mail.topic_ids).exists():
        mail.delete()  # the topics were removed meanwhile: nothing left to confirm
        return False
    try:
        message = _message(town=town, mail=mail)
    except Exception:
        _release(mail_id)  # a bug, not a send: the retry after the fix may send it
        raise
    backend = get_connection(fail_silently=False)
    try:
        backend.open()
        backend.send_messages([message])
    except smtplib.SMTPRecipientsRefused:
        # The address does not exist or takes no mail: nothing to try again.
        logger.info("Opt-in e-mail %s refused by the mail server", mail_id)
        mail.delete()
        return False
    except (smtplib.SMTPException, OSError) as exc:
        _release(mail_id)
        raise DeliveryInterrupted(str(exc)) from exc
    finally:
        try:
            backend.close()
        except Exception:  # closing a broken connection must not hide what happened
            logger.warning("Closing the SMTP connection failed", exc_info=True)
    mail.delete()
    return True


def _release(mail_id: int) -> None:
    OptInMail.objects.filter(pk=mail_id).update(claimed_at=None)


@dataclass
class TidyResult:
    requeued: list[int] = field(default_factory=list)
    dropped: int = 0


def opt_in_mails_tidy() -> TidyResult:
    """Ids of waiting e-mails whose task was lost (to queue again); drops the stale ones."""
    now = timezone.now()
    dropped, _ = (
        OptInMail.objects.filter(created_at__lt=now - timedelta(seconds=CONFIRM_MAX_AGE))
        | OptInMail.objects.filter(claimed_at__lt=now - CLAIM_KEPT)
    ).delete()
    lost = OptInMail.objects.filter(claimed_at__isnull=True, created_at__lt=now - LOST_AFTER)
    return TidyResult(requeued=list(lost.values_list("pk", flat=True)), dropped=dropped)
