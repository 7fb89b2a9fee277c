"""Writes of the outbox: enqueue one, many or a query's rows; deliver one or a batch; requeue.

Every function works in the current town's schema. Delivery claims rows in a short
transaction, hands them to the channel with no transaction open and marks each
one in the same statement as the next one's hand-over (see ``_advance``), so a
crash leaves at most one row per batch ``sending`` (it becomes ``unconfirmed``,
never sent again) and everything else either marked or waiting to be sent.
"""

import datetime as dt
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Expression, F, IntegerField, JSONField, Q, QuerySet, Value
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django_tenants.utils import schema_context

from rathaus.platform.identity.models import User
from rathaus.tenants.current import current_town
from rathaus.tenants.db import current_schema_name
from rathaus.tenants.models import Municipality
from rathaus.tenants.town_tasks import queue_on_commit

from .models import OutboxMessage
from .registry import (
    Channel,
    Envelope,
    MessageKind,
    PermanentFailure,
    Rendered,
    TemporaryFailure,
    channels,
    kinds,
)

logger = logging.getLogger(__name__)

State = OutboxMessage.State
KEY_MAX_LENGTH = 200
T = TypeVar("T")


# --- how long things take ----------------------------------------------------------


def claim_timeout() -> dt.timedelta:
    """A claim (or a hand-over) older than this belongs to a worker that died."""
    return dt.timedelta(seconds=int(getattr(settings, "MESSAGING_CLAIM_TIMEOUT", 600)))


def lost_after() -> dt.timedelta:
    """A row due longer than this lost its task (broker down, retry lost): beat queues it."""
    return dt.timedelta(seconds=int(getattr(settings, "MESSAGING_LOST_AFTER", 600)))


def max_attempts() -> int:
    """After this many attempts that found the transport down, a row has failed."""
    return int(getattr(settings, "MESSAGING_MAX_ATTEMPTS", 10))


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off: 30 s after the first attempt, doubling, at most an hour."""
    base = float(getattr(settings, "MESSAGING_RETRY_BASE", 30))
    cap = float(getattr(settings, "MESSAGING_RETRY_MAX", 3600))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


# --- enqueueing ------------------------------------------------------------------


@dataclass(frozen=True)
class NewMessage:
    """One message of a bulk enqueue (``messages_enqueue_many``)."""

    key: str
    address: str
    context: Mapping[str, Any]
    recipient_id: int | None = None
    language: str = ""


def _language(language: str | None) -> str:
    wanted = language or translation.get_language() or settings.LANGUAGE_CODE
    try:
        return translation.get_supported_language_variant(wanted)
    except LookupError:
        return str(settings.LANGUAGE_CODE)


def _kind_and_channel(kind: str) -> tuple[MessageKind, Channel]:
    message_kind = kinds.get(kind)
    if message_kind is None:
        raise ValueError(f"no message kind {kind!r} is registered")
    channel = channels.get(message_kind.channel)
    if channel is None:
        raise ValueError(f"message kind {kind!r} needs channel {message_kind.channel!r}, unknown")
    if not channel.is_available(town=current_town()):
        raise ValueError(f"channel {channel.key!r} is not available in this town")
    return message_kind, channel


def _plain(context: Mapping[str, Any] | None) -> dict[str, Any]:
    plain = dict(context or {})
    try:
        json.dumps(plain)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a message's context holds ids and plain values only: {exc}") from exc
    return plain


def _checked_key(key: str) -> str:
    if not key or len(key) > KEY_MAX_LENGTH or key != key.strip():
        raise ValueError(f"a message key has 1 to {KEY_MAX_LENGTH} characters: {key[:50]!r}")
    return key


def message_prepare(
    *,
    key: str,
    kind: str,
    address: str,
    context: Mapping[str, Any] | None = None,
    recipient: User | None = None,
    language: str | None = None,
    group: str = "",
) -> OutboxMessage:
    """The row ``message_enqueue`` would write, checked but unsaved.

    For a sender that writes it in a statement of its own (appointments books and
    writes its e-mail in one round trip); it must then call ``message_queue_on_commit``.
    ``language`` defaults to the current request's. Raises ``ValueError`` naming
    what is wrong (unknown kind, unavailable channel, bad address, a context that
    is not plain JSON, a key that is empty or too long).
    """
    _message_kind, channel = _kind_and_channel(kind)
    return OutboxMessage(
        key=_checked_key(key),
        channel=channel.key,
        kind=kind,
        recipient=recipient,
        address=channel.address_normalise(address),
        context=_plain(context),
        language=_language(language),
        group=group,
    )


def _insert(rows: Sequence[OutboxMessage]) -> dict[str, int]:
    """Inserts ``rows`` in one statement, skipping keys that exist; returns key -> new id."""
    if not rows:
        return {}
    fields = [field for field in OutboxMessage._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list[Any] = []
    for row in rows:
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(row, add=True), connection))
    sql = (
        f"INSERT INTO {OutboxMessage._meta.db_table} ({columns}) "  # noqa: S608 - the model's own names
        f"VALUES {', '.join([one] * len(rows))} ON CONFLICT (key) DO NOTHING RETURNING id, key"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {str(key): int(pk) for pk, key in cursor.fetchall()}


def message_enqueue(
    *,
    key: str,
    kind: str,
    address: str,
    context: Mapping[str, Any] | None = None,
    recipient: User | None = None,
    language: str | None = None,
    group: str = "",
) -> OutboxMessage:
    """Writes one message and sends it once the current transaction commits.

    A ``key`` that exists already returns the existing row and sends nothing more.
    The task is queued robustly: a broker outage never fails the sender's committed
    change (beat's ``messaging.requeue`` sends the message later).
    """
    row = message_prepare(
        key=key,
        kind=kind,
        address=address,
        context=context,
        recipient=recipient,
        language=language,
        group=group,
    )
    created = _insert([row])
    if key not in created:
        return OutboxMessage.objects.get(key=key)
    row.pk = created[key]
    row._state.adding = False
    row._state.db = connection.alias
    message_queue_on_commit(message_id=row.pk)
    return row


def message_queue_on_commit(*, message_id: int) -> None:
    """Queues ``messaging.deliver`` for a row once the current transaction commits."""
    from .tasks import deliver

    queue_on_commit(deliver, message_id, robust=True)


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), max(1, size)):
        yield list(items[start : start + max(1, size)])


def _queue_batches(ids_by_channel: Mapping[str, Sequence[int]], *, on_commit: bool) -> int:
    from .tasks import deliver_batch

    schema = current_schema_name()
    queued = 0
    for key, ids in ids_by_channel.items():
        channel = channels.get(key)
        for chunk in _chunks(ids, channel.batch_size if channel else 1):
            if on_commit:
                queue_on_commit(deliver_batch, chunk, robust=True)
            else:
                deliver_batch.apply_async(args=(chunk,), headers={"_schema_name": schema})
            queued += 1
    return queued


def messages_enqueue_many(
    *, kind: str, messages: Iterable[NewMessage], group: str = ""
) -> list[int]:
    """Writes many messages of one kind in one statement (existing keys are skipped) and
    sends the new ones in batches once the transaction commits; returns their ids."""
    _message_kind, channel = _kind_and_channel(kind)
    rows = [
        OutboxMessage(
            key=_checked_key(message.key),
            channel=channel.key,
            kind=kind,
            recipient_id=message.recipient_id,
            address=channel.address_normalise(message.address),
            context=_plain(message.context),
            language=_language(message.language),
            group=group,
        )
        for message in messages
    ]
    created: list[int] = []
    for chunk in _chunks(rows, 1000):
        created.extend(sorted(_insert(chunk).values()))
    _queue_batches({channel.key: created}, on_commit=True)
    return created


def messages_enqueue_from(
    *,
    kind: str,
    rows: QuerySet[Any],
    key: Expression | F,
    address: Expression | F,
    group: str,
    context: Expression | F | None = None,
    recipient: Expression | F | None = None,
    language: Expression | F | None = None,
) -> int:
    """One message per row of ``rows`` in a single ``INSERT ... SELECT`` (no data round trip):
    ``key``, ``address``, ``context`` (a JSON object, e.g. ``JSONObject(...)``),
    ``recipient`` (an account id) and ``language`` are expressions over ``rows``.

    Existing keys are skipped, so running it again adds nothing. Nothing is queued:
    the caller sends the group with ``messages_queue_group_on_commit``. Returns how
    many rows were new.
    """
    _message_kind, channel = _kind_and_channel(kind)
    values = rows.values(
        outbox_key=key,
        outbox_address=address,
        outbox_context=context if context is not None else Value({}, output_field=JSONField()),
        outbox_recipient=recipient
        if recipient is not None
        else Cast(Value(None), output_field=IntegerField()),
        outbox_language=language if language is not None else Value(""),
    )
    select_sql, select_params = values.query.sql_with_params()
    table = OutboxMessage._meta.db_table
    now = timezone.now()
    # The names are the model's own; every value is a parameter.
    sql = f"""
        INSERT INTO {table} (key, channel, kind, recipient_id, address, context, language,
                             "group", state, attempts, next_attempt_at, claimed_at, claimed_by,
                             sent_at, error, created_at)
        SELECT q.outbox_key, %s, %s, q.outbox_recipient, q.outbox_address, q.outbox_context,
               COALESCE(NULLIF(q.outbox_language, ''), %s), %s, %s, 0, %s, NULL, '',
               NULL, '', %s
          FROM ({select_sql}) q
        ON CONFLICT (key) DO NOTHING
    """  # noqa: S608
    params: list[Any] = [channel.key, kind, settings.LANGUAGE_CODE, group, State.PENDING, now, now]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *select_params])
        return int(cursor.rowcount)


def messages_queue_group(*, group: str) -> int:
    """Queues the waiting, unclaimed rows of ``group`` in batches now; returns how many batches."""
    ids: dict[str, list[int]] = defaultdict(list)
    waiting = (
        OutboxMessage.objects.filter(group=group, state=State.PENDING, claimed_by="")
        .order_by("pk")
        .values_list("pk", "channel")
    )
    for pk, channel in waiting.iterator(chunk_size=5000):
        ids[channel].append(pk)
    return _queue_batches(ids, on_commit=False)


def messages_queue_group_on_commit(*, group: str) -> None:
    """``messages_queue_group`` once the current transaction commits, in the current town.

    Robust: should the broker be down, the rows wait for beat's ``messaging.requeue``.
    """
    schema = current_schema_name()

    def queue() -> None:
        with schema_context(schema):
            messages_queue_group(group=group)

    transaction.on_commit(queue, robust=True)


# --- delivering ------------------------------------------------------------------


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    unconfirmed: int = 0
    postponed: int = 0
    # Seconds until the first postponed row is due again (None: nothing to retry).
    retry_in: float | None = None


def _keeps_address(kind: str) -> bool:
    message_kind = kinds.get(kind)
    return message_kind is None or message_kind.keep_address


def _finish(
    rows: Sequence[OutboxMessage], state: str, *, error: str = "", only: Q | None = None
) -> int:
    """Puts ``rows`` into a final ``state``; a forgetful kind's rows lose address and context."""
    changed = 0
    for keep in (True, False):
        ids = [row.pk for row in rows if _keeps_address(row.kind) is keep]
        if not ids:
            continue
        fields: dict[str, Any] = {"state": state, "error": error[:500]}
        if not keep:
            fields.update(address="", context={})
        target = OutboxMessage.objects.filter(pk__in=ids)
        if only is not None:
            target = target.filter(only)
        changed += target.update(**fields)
    return changed


def _postpone(rows: Sequence[OutboxMessage], *, error: str, result: DeliveryResult) -> None:
    """The transport could not take ``rows``: waiting again after a back-off, or failed at last."""
    now = timezone.now()
    by_attempts: dict[int, list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        by_attempts[row.attempts].append(row)
    for attempts, members in by_attempts.items():
        if attempts >= max_attempts():
            text = f"aufgegeben nach {attempts} Versuchen: {error}"
            result.failed += _finish(members, State.FAILED, error=text)
            continue
        delay = retry_delay(attempts)
        result.postponed += OutboxMessage.objects.filter(pk__in=[r.pk for r in members]).update(
            state=State.PENDING,
            claimed_by="",
            claimed_at=None,
            next_attempt_at=now + delay,
            error=error[:500],
        )
        seconds = delay.total_seconds()
        result.retry_in = seconds if result.retry_in is None else min(result.retry_in, seconds)


def _claim(
    *, message_ids: Sequence[int], claim: str, result: DeliveryResult
) -> list[OutboxMessage]:
    """Takes the waiting rows nobody else holds (one attempt each); a redelivered task's
    own hand-over becomes ``unconfirmed`` (it may have gone out)."""
    now = timezone.now()
    claim = claim[:64]
    with transaction.atomic():
        own = list(
            OutboxMessage.objects.filter(
                pk__in=message_ids, state=State.SENDING, claimed_by=claim
            ).only("pk", "kind")
        )
        result.unconfirmed += _finish(
            own,
            State.UNCONFIRMED,
            error="Übergabe unterbrochen",
            only=Q(state=State.SENDING, claimed_by=claim),
        )
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, state=State.PENDING)
            .filter(
                Q(claimed_by="") | Q(claimed_by=claim) | Q(claimed_at__lt=now - claim_timeout())
            )
            .order_by("pk")
        )
        if rows:
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                claimed_by=claim, claimed_at=now, attempts=F("attempts") + 1
            )
    for row in rows:
        row.claimed_by, row.claimed_at, row.attempts = claim, now, row.attempts + 1
    return rows


def _advance(*, done: OutboxMessage | None, next_row: OutboxMessage | None) -> None:
    """Marks ``done`` sent and ``next_row`` in the channel's hands, in one round trip."""
    if done is None and next_row is None:
        return
    table = OutboxMessage._meta.db_table
    sql = f"""
        UPDATE {table} SET
            state = CASE WHEN id = %(done)s THEN %(sent)s ELSE %(sending)s END,
            sent_at = CASE WHEN id = %(done)s THEN %(now)s ELSE sent_at END,
            claimed_at = CASE WHEN id = %(next)s THEN %(now)s ELSE claimed_at END,
            error = CASE WHEN id = %(done)s THEN '' ELSE error END,
            address = CASE WHEN id = %(done)s AND %(forget)s THEN '' ELSE address END,
            context = CASE WHEN id = %(done)s AND %(forget)s THEN '{{}}'::jsonb ELSE context END
        WHERE id IN (%(done)s, %(next)s)
    """  # noqa: S608 - the table name is the model's own
    params = {
        "done": done.pk if done else None,
        "next": next_row.pk if next_row else None,
        "sent": State.SENT,
        "sending": State.SENDING,
        "now": timezone.now(),
        "forget": done is not None and not _keeps_address(done.kind),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _synchronous_commit(on: bool) -> None:
    with connection.cursor() as cursor:
        cursor.execute("RESET synchronous_commit" if on else "SET synchronous_commit TO off")


def _render(
    rows: Sequence[OutboxMessage], *, result: DeliveryResult
) -> list[tuple[OutboxMessage, Rendered]]:
    """Each row's content, made by its kind in the row's language; marks what is skipped."""
    groups: dict[tuple[str, str], list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        groups[(row.kind, row.language)].append(row)
    contents: dict[int, Rendered] = {}
    skipped: list[OutboxMessage] = []
    for (kind_key, language), members in groups.items():
        message_kind = kinds.get(kind_key)
        if message_kind is None:
            # A worker of an older release, during a deploy: a newer one will know it.
            _postpone(members, error=f"unbekannte Nachrichtenart {kind_key}", result=result)
            continue
        try:
            with translation.override(language or settings.LANGUAGE_CODE):
                rendered = message_kind.render_batch(members)
            if len(rendered) != len(members):
                raise ValueError(f"{kind_key} rendered {len(rendered)} of {len(members)}")
        except Exception:
            logger.exception("Rendering %s messages failed", kind_key)
            _postpone(members, error=f"{kind_key} konnte nicht erstellt werden", result=result)
            continue
        for row, content in zip(members, rendered, strict=True):
            if content is None:
                skipped.append(row)
            else:
                contents[row.pk] = content
    if skipped:
        logger.info("messaging: %s messages no longer apply", len(skipped))
        result.skipped += _finish(skipped, State.SKIPPED)
    return [(row, contents[row.pk]) for row in rows if row.pk in contents]


def _deliver_on(
    *, channel: Channel, town: Municipality, rows: Sequence[OutboxMessage], result: DeliveryResult
) -> bool:
    """Sends ``rows`` over one session of ``channel``; ``False`` if the transport was down."""
    contents = _render(rows, result=result)
    if not contents:
        return True
    waiting = [row for row, _content in contents]
    done: OutboxMessage | None = None
    in_flight: OutboxMessage | None = None
    # The per-message marks are many tiny commits; waiting for each one's WAL flush
    # would cost more than the hand-over itself. Should PostgreSQL itself crash, its
    # last fraction of a second of marks may be lost: a row falls back to waiting
    # (sent again, with the same Message-ID) or to ``sending`` (unconfirmed). The
    # claims stay synchronous; a single message keeps every mark synchronous.
    fast = len(contents) > 1
    if fast:
        _synchronous_commit(False)
    try:
        with channel.session(town=town) as session:
            for row, content in contents:
                _advance(done=done, next_row=row)
                done, in_flight = None, row
                waiting.pop(0)  # contents and waiting are in the same order
                try:
                    session.send(Envelope(message=row, content=content))
                except PermanentFailure as exc:
                    result.failed += _finish([row], State.FAILED, error=str(exc))
                    in_flight = None
                    continue
                done, in_flight = row, None
                result.sent += 1
            _advance(done=done, next_row=None)
            done = None
    except TemporaryFailure as exc:
        # The row in the channel's hands was not taken: it waits again with the rest.
        logger.warning("messaging: %s is down (%s)", channel.key, exc)
        _postpone(
            [row for row in [in_flight, *waiting] if row is not None], error=str(exc), result=result
        )
        return False
    except Exception:
        # A bug, not a crash: what was handed over is marked, the rest waits again.
        _advance(done=done, next_row=None)
        if in_flight is not None:
            result.unconfirmed += _finish(
                [in_flight], State.UNCONFIRMED, error="Fehler bei der Übergabe"
            )
        _postpone(waiting, error="Fehler bei der Übergabe", result=result)
        raise
    finally:
        if fast:
            _synchronous_commit(True)
    return True


def messages_deliver(*, message_ids: Sequence[int], claim: str) -> DeliveryResult:
    """Sends the waiting rows among ``message_ids``, a batch per channel session.

    ``claim`` names the caller (the task's id): a redelivery of the same task takes
    its rows back at once and reports its interrupted hand-over as unconfirmed.
    Safe to run twice, in parallel, or after a crash: nothing is sent twice. Call it
    with no transaction open (the tasks do): every claim and mark commits at once.
    """
    town = current_town()
    result = DeliveryResult()
    rows = _claim(message_ids=message_ids, claim=claim, result=result)
    by_channel: dict[str, list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        by_channel[row.channel].append(row)
    for key, members in by_channel.items():
        channel = channels.get(key)
        if channel is None or not channel.is_available(town=town):
            error = f"Kanal {key} ist in dieser Kommune nicht verfügbar"
            result.failed += _finish(members, State.FAILED, error=error)
            continue
        batches = list(_chunks(members, channel.batch_size))
        for number, batch in enumerate(batches):
            if not _deliver_on(channel=channel, town=town, rows=batch, result=result):
                # The transport is down: the later batches need not try it now.
                for later in batches[number + 1 :]:
                    _postpone(later, error="Übertragung nicht möglich", result=result)
                break
    return result


def message_deliver(*, message_id: int, claim: str) -> DeliveryResult:
    """Sends one row unless it was sent, is being sent, or no longer applies."""
    return messages_deliver(message_ids=[message_id], claim=claim)


# --- beat ------------------------------------------------------------------------


@dataclass
class RequeueResult:
    requeued: int = 0
    batches: int = 0
    unconfirmed: int = 0


def messages_requeue(*, now: dt.datetime | None = None, limit: int = 5000) -> RequeueResult:
    """Beat's tidy-up in the current town; idempotent.

    Rows a dead worker left in the channel's hands become ``unconfirmed``; rows due
    for longer than ``lost_after()`` whose task was lost (the broker was down at the
    commit, a retry got lost, a worker died holding the claim) are queued again,
    in batches, and count as due from now, so the next run does not queue them twice.
    """
    now = now or timezone.now()
    stale = now - claim_timeout()
    result = RequeueResult()
    in_flight = list(
        OutboxMessage.objects.filter(state=State.SENDING, claimed_at__lt=stale).only("pk", "kind")[
            :limit
        ]
    )
    result.unconfirmed = _finish(
        in_flight,
        State.UNCONFIRMED,
        error="Übergabe unterbrochen",
        only=Q(state=State.SENDING, claimed_at__lt=stale),
    )
    lost = (
        OutboxMessage.objects.filter(state=State.PENDING, next_attempt_at__lt=now - lost_after())
        .filter(Q(claimed_by="") | Q(claimed_at__lt=stale))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "channel")[:limit]
    )
    ids: dict[str, list[int]] = defaultdict(list)
    for pk, channel in lost:
        ids[channel].append(pk)
    for channel_key, members in ids.items():
        # Queued first, counted as due from now after: a broker outage leaves them for later.
        result.batches += _queue_batches({channel_key: members}, on_commit=False)
        OutboxMessage.objects.filter(pk__in=members).update(next_attempt_at=now)
        result.requeued += len(members)
    return result
