"""The e-mail fan-out of a published post: delivery rows, batches, claims and SMTP.

How a post reaches 10,000 subscribers without anyone getting it twice:

1. ``deliveries_create`` inserts one ``Delivery`` row per receiving
   subscriber of the post's topics in a single ``INSERT ... SELECT``; the
   unique (post, subscriber) pair makes this idempotent.
2. ``deliveries_to_send`` returns the rows still to send, in batches, after
   putting back what a crashed batch had claimed but not yet handed to SMTP.
3. ``delivery_batch_send`` claims a batch (pending -> claimed), opens one SMTP
   connection, and for every message first marks the row ``sending`` and
   then ``sent`` (both in the same statement as the next row's mark, so a
   message costs one round trip). A crash can thus leave at most one row per
   batch in ``sending``: it may or may not have gone out, so it is never sent
   again but reported as ``unconfirmed``. Everything still ``claimed`` is
   sent by the next run.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality
from rathaus.tenants.selectors import town_url

from .models import Delivery, Post, Subscriber
from .selectors import town_sender
from .tokens import unsubscribe_token

logger = logging.getLogger(__name__)

# A claim older than this belongs to a batch that died without a redelivery.
CLAIM_TIMEOUT = timedelta(minutes=10)
# After this many failed attempts (server unreachable, not a refusal) a row is given up.
MAX_ATTEMPTS = 5
_TOKEN = "UNSUBSCRIBE-TOKEN"  # noqa: S105 (a placeholder, no secret); in the rendered body, one render per batch


def batch_size() -> int:
    return int(getattr(settings, "NEWS_BATCH_SIZE", 200))


def message_id(*, schema: str, post_id: int, subscriber_id: int, host: str) -> str:
    """Stable per (post, subscriber): should a message ever go out twice, mail clients merge it."""
    return f"<news.{post_id}.{subscriber_id}.{schema}@{host}>"


def deliveries_create(*, post: Post) -> int:
    """One pending row per receiving subscriber of any of the post's topics; returns new rows."""
    delivery = Delivery._meta.db_table
    subscriber = Subscriber._meta.db_table
    subscriber_topics = Subscriber.topics.through._meta.db_table
    post_topics = Post.topics.through._meta.db_table
    # Table names come from the models, never from input; the schema is the
    # connection's search path (the current town).
    sql = f"""
        INSERT INTO {delivery} (post_id, subscriber_id, email, status, attempts, claimed_by, error)
        SELECT DISTINCT %s, s.id, s.email, %s, 0, '', ''
        FROM {subscriber} s
        JOIN {subscriber_topics} st ON st.subscriber_id = s.id
        JOIN {post_topics} pt ON pt.topic_id = st.topic_id AND pt.post_id = %s
        WHERE s.confirmed_at IS NOT NULL AND s.unsubscribed_at IS NULL
        ON CONFLICT (post_id, subscriber_id) DO NOTHING
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [post.pk, Delivery.Status.PENDING, post.pk])
        return int(cursor.rowcount)


def deliveries_to_send(*, post: Post, stale_after: timedelta = CLAIM_TIMEOUT) -> list[list[int]]:
    """Ids of the rows still to send, in batches; takes back what dead batches left behind."""
    now = timezone.now()
    stale = now - stale_after
    status = Delivery.Status
    with transaction.atomic():
        Delivery.objects.filter(post=post, status=status.CLAIMED, claimed_at__lt=stale).update(
            status=status.PENDING, claimed_by=""
        )
        Delivery.objects.filter(post=post, status=status.SENDING, claimed_at__lt=stale).update(
            status=status.UNCONFIRMED
        )
        ids = list(
            Delivery.objects.filter(post=post, status=status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(queued_at=now)
    size = batch_size()
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def posts_stalled(*, stale_after: timedelta = CLAIM_TIMEOUT) -> list[int]:
    """Published posts whose fan-out stopped (a lost task, a dead worker): to be resumed."""
    stale = timezone.now() - stale_after
    status = Delivery.Status
    return sorted(
        set(
            Delivery.objects.filter(
                Q(status=status.PENDING, queued_at__isnull=True)
                | Q(status=status.PENDING, queued_at__lt=stale)
                | Q(status__in=[status.CLAIMED, status.SENDING], claimed_at__lt=stale)
            )
            .filter(post__published_at__lt=stale)
            .values_list("post_id", flat=True)
        )
    )


class PostMailer:
    """Builds the post's e-mail for each subscriber; the body is rendered once."""

    def __init__(self, *, town: Municipality, post: Post) -> None:
        self.post = post
        self.town = town
        self.schema = current_schema_name()
        base = town_url(town=town, path="")
        self.host = urlsplit(base).hostname or ""
        self.subject = f"{town.name}: {post.title}"
        self.from_email = town_sender(town=town)
        self.unsubscribe_prefix = base + reverse("news:unsubscribe", kwargs={"token": _TOKEN})
        self.body = render_to_string(
            "news/email/post.txt",
            {
                "town": town,
                "post": post,
                "topics": list(post.topics.all()),
                "post_url": base + reverse("news:post", kwargs={"pk": post.pk}),
                "manage_url": base + reverse("news:index"),
                "unsubscribe_url": self.unsubscribe_prefix,
            },
        )

    def build(self, *, subscriber_id: int, email: str) -> EmailMessage:
        token = unsubscribe_token(subscriber_id=subscriber_id, post_id=self.post.pk, town=self.town)
        url = self.unsubscribe_prefix.replace(_TOKEN, token)
        return EmailMessage(
            subject=self.subject,
            body=self.body.replace(self.unsubscribe_prefix, url),
            from_email=self.from_email,
            to=[email],
            headers={
                "Message-ID": message_id(
                    schema=self.schema,
                    post_id=self.post.pk,
                    subscriber_id=subscriber_id,
                    host=self.host,
                ),
                # RFC 2369 and RFC 8058: mail clients offer a one-click unsubscribe.
                "List-Unsubscribe": f"<{url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Precedence": "bulk",
            },
        )


@dataclass
class BatchResult:
    sent: int = 0
    bounced: int = 0
    skipped: int = 0
    requeued: int = 0


class DeliveryInterrupted(Exception):  # noqa: N818 (reads as what happened)
    """The mail server could not be used; the batch's rows wait for the retry."""


def _advance(*, done: int | None, next_id: int | None) -> None:
    """Marks ``done`` sent and ``next_id`` in flight, in one round trip."""
    table = Delivery._meta.db_table
    sql = f"""
        UPDATE {table} SET
            status = CASE WHEN id = %s THEN %s ELSE %s END,
            sent_at = CASE WHEN id = %s THEN now() ELSE sent_at END,
            attempts = CASE WHEN id = %s THEN attempts + 1 ELSE attempts END
        WHERE id IN (%s, %s)
    """  # noqa: S608
    status = Delivery.Status
    with connection.cursor() as cursor:
        cursor.execute(sql, [done, status.SENT, status.SENDING, done, next_id, done, next_id])


def _synchronous_commit(on: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit" if on else "SET synchronous_commit TO off")


def _claim(*, post: Post, delivery_ids: list[int], claim: str) -> list[tuple[int, int, str]]:
    """Takes the batch's rows that nobody else has; returns (id, subscriber_id, email)."""
    status = Delivery.Status
    now = timezone.now()
    with transaction.atomic():
        # This very task died while handing these to SMTP: they may have gone out.
        Delivery.objects.filter(
            pk__in=delivery_ids, status=status.SENDING, claimed_by=claim
        ).update(status=status.UNCONFIRMED)
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(pk__in=delivery_ids, post=post)
            .filter(Q(status=status.PENDING) | Q(status=status.CLAIMED, claimed_by=claim))
            .order_by("pk")
            .values_list("pk", "subscriber_id", "email", "subscriber__unsubscribed_at")
        )
        gone = [pk for pk, _, _, left in rows if left is not None]
        Delivery.objects.filter(pk__in=gone).update(status=status.SKIPPED)
        claimed = [(pk, sid, email) for pk, sid, email, left in rows if left is None]
        Delivery.objects.filter(pk__in=[pk for pk, _, _ in claimed]).update(
            status=status.CLAIMED, claimed_at=now, claimed_by=claim
        )
    return claimed


def _release(*, ids: list[int], failed: int | None) -> None:
    """Puts rows back to pending (the server did not take them); ``failed`` counts an attempt."""
    status = Delivery.Status
    Delivery.objects.filter(pk__in=ids, status=status.CLAIMED).update(
        status=status.PENDING, claimed_by=""
    )
    if failed is not None:
        Delivery.objects.filter(pk=failed, attempts__gte=MAX_ATTEMPTS).update(
            status=status.FAILED, error="Mailserver nicht erreichbar"
        )
        Delivery.objects.filter(pk=failed, status=status.SENDING).update(
            status=status.PENDING, claimed_by=""
        )


def delivery_batch_send(
    *, town: Municipality, post_id: int, delivery_ids: list[int], claim: str
) -> BatchResult:
    """Sends one batch over one SMTP connection; safe to run twice or after a crash.

    Raises ``DeliveryInterrupted`` when the mail server fails (not a refusal of
    one recipient); the rows not yet sent are back in the queue by then.
    """
    result = BatchResult()
    post = Post.objects.filter(pk=post_id, status=Post.Status.PUBLISHED).first()
    if post is None:
        return result
    rows = _claim(post=post, delivery_ids=delivery_ids, claim=claim)
    result.skipped = len(delivery_ids) - len(rows)
    if not rows:
        return result
    mailer = PostMailer(town=town, post=post)
    backend = get_connection(fail_silently=False)
    remaining = [pk for pk, _, _ in rows]
    try:
        backend.open()
    except (smtplib.SMTPException, OSError) as exc:
        _release(ids=remaining, failed=None)
        raise DeliveryInterrupted(str(exc)) from exc
    done: int | None = None
    # The per-message marks are many tiny commits; waiting for each one's WAL
    # flush would cost more than the SMTP transaction. Should PostgreSQL itself
    # crash, its last fraction of a second of marks may be lost: at worst a row
    # falls back to ``claimed`` (sent again, with the same Message-ID) or to
    # ``sending`` (reported unconfirmed). The claims above stay synchronous.
    _synchronous_commit(False)
    try:
        for pk, subscriber_id, email in rows:
            message = mailer.build(subscriber_id=subscriber_id, email=email)
            _advance(done=done, next_id=pk)
            done = None
            remaining.pop(0)  # rows and remaining are in the same order
            try:
                accepted = backend.send_messages([message])
            except smtplib.SMTPRecipientsRefused as exc:
                refusal = next(iter(exc.recipients.values()), (0, b""))
                code, text = refusal[0], refusal[1]
                detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
                Delivery.objects.filter(pk=pk).update(
                    status=Delivery.Status.BOUNCED, error=f"{code} {detail}"[:500]
                )
                result.bounced += 1
                continue
            except (smtplib.SMTPException, OSError) as exc:
                # The server did not take this message: it and the rest go back.
                _release(ids=remaining, failed=pk)
                result.requeued = len(remaining) + 1
                raise DeliveryInterrupted(str(exc)) from exc
            if not accepted:
                Delivery.objects.filter(pk=pk).update(
                    status=Delivery.Status.FAILED, error="vom E-Mail-Dienst nicht angenommen"
                )
                continue
            done = pk
            result.sent += 1
        _advance(done=done, next_id=None)
        done = None
    except DeliveryInterrupted:
        raise
    except Exception:
        # A bug, not a hard crash: what was not handed to SMTP goes back at once.
        _advance(done=done, next_id=None)
        _release(ids=remaining, failed=None)
        Delivery.objects.filter(pk__in=delivery_ids, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.UNCONFIRMED
        )
        raise
    finally:
        _synchronous_commit(True)
        try:
            backend.close()
        except Exception:  # closing a broken connection must not hide the real error
            logger.warning("Closing the SMTP connection failed", exc_info=True)
    return result
