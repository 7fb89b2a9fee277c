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
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Expression, F, IntegerField, JSONField, Min, Q, QuerySet, Value
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
    UncertainDelivery,
    channels,
    kinds,
)

logger = logging.getLogger(__name__)

State = OutboxMessage.State
KEY_MAX_LENGTH = 200
CLAIM_MAX_LENGTH = 64
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
    """Queues the due, waiting, unclaimed rows of ``group`` in batches now; returns how many
    batches (rows backing off are left to their own retry)."""
    ids: dict[str, list[int]] = defaultdict(list)
    waiting = (
        OutboxMessage.objects.filter(
            group=group, state=State.PENDING, claimed_by="", next_attempt_at__lte=timezone.now()
        )
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


def _own(claim: str, *states: str) -> Q:
    """The rows this run still holds, in one of ``states``: nobody else's are ever changed."""
    return Q(claimed_by=claim, state__in=states or (State.PENDING, State.SENDING))


def _postpone(
    rows: Sequence[OutboxMessage], *, claim: str, error: str, result: DeliveryResult
) -> None:
    """The transport could not take ``rows``: waiting again after a back-off, or failed at last.

    Only the rows this run still holds: a row another run took over meanwhile (and
    may have sent) is left alone.
    """
    now = timezone.now()
    by_attempts: dict[int, list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        by_attempts[row.attempts].append(row)
    for attempts, members in by_attempts.items():
        if attempts >= max_attempts():
            text = f"aufgegeben nach {attempts} Versuchen: {error}"
            result.failed += _finish(members, State.FAILED, error=text, only=_own(claim))
            continue
        delay = retry_delay(attempts)
        postponed = (
            OutboxMessage.objects.filter(pk__in=[r.pk for r in members])
            .filter(_own(claim))
            .update(
                state=State.PENDING,
                claimed_by="",
                claimed_at=None,
                next_attempt_at=now + delay,
                error=error[:500],
            )
        )
        result.postponed += postponed
        if postponed:
            seconds = delay.total_seconds()
            result.retry_in = seconds if result.retry_in is None else min(result.retry_in, seconds)


def new_claim(*, prefix: str = "") -> str:
    """A claim of its own for one run (one delivery attempt), e.g. ``<task id>:<random>``.

    Never the task's id alone: the broker may hand the same task to a second worker
    (a visibility timeout ran out, a worker was lost) while the first still runs.
    """
    token = secrets.token_hex(8)
    return f"{prefix[: CLAIM_MAX_LENGTH - len(token) - 1]}:{token}" if prefix else token


def _claim(
    *, message_ids: Sequence[int], claim: str, result: DeliveryResult
) -> list[OutboxMessage]:
    """Takes the due rows nobody holds (or whose holder stopped renewing its claim), one
    attempt each. Rows not due yet stay waiting; ``result.retry_in`` says when the first is."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk__in=message_ids, state=State.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_by="") | Q(claimed_at__lt=now - claim_timeout()))
            .order_by("pk")
        )
        if rows:
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                claimed_by=claim, claimed_at=now, attempts=F("attempts") + 1
            )
    for row in rows:
        row.claimed_by, row.claimed_at, row.attempts = claim, now, row.attempts + 1
    # A retry that came early (clocks differ) or rows of a batch with different back-offs:
    # the task comes back when the first of them is due (whoever claims it then sends it).
    first_due = (
        OutboxMessage.objects.filter(
            pk__in=message_ids, state=State.PENDING, claimed_by="", next_attempt_at__gt=now
        )
        .order_by()
        .aggregate(first=Min("next_attempt_at"))["first"]
    )
    if first_due is not None:
        result.retry_in = max(0.001, (first_due - now).total_seconds())
    return rows


class _Lease:
    """This run's claim, renewed while the run lives, so beat never takes a live run's rows."""

    def __init__(self, claim: str) -> None:
        self.claim = claim
        self.renewed = timezone.now()

    def keep(self) -> None:
        now = timezone.now()
        if now - self.renewed < claim_timeout() / 4:
            return
        OutboxMessage.objects.filter(claimed_by=self.claim, state=State.PENDING).update(
            claimed_at=now
        )
        self.renewed = now


def _advance(*, claim: str, done: OutboxMessage | None, next_row: OutboxMessage | None) -> bool:
    """Marks ``done`` sent and ``next_row`` in the channel's hands, in one round trip.

    Both only while this run holds their claim: ``next_row`` must still be waiting
    under it, ``done`` in the channel's hands (or ``unconfirmed`` by beat meanwhile:
    it did go out). Returns whether ``next_row`` may be handed over now.
    """
    if done is None and next_row is None:
        return False
    table = OutboxMessage._meta.db_table
    sql = f"""
        UPDATE {table} SET
            state = CASE WHEN id = %(done)s THEN %(sent)s ELSE %(sending)s END,
            sent_at = CASE WHEN id = %(done)s THEN %(now)s ELSE sent_at END,
            claimed_at = CASE WHEN id = %(next)s THEN %(now)s ELSE claimed_at END,
            error = CASE WHEN id = %(done)s THEN '' ELSE error END,
            address = CASE WHEN id = %(done)s AND %(forget)s THEN '' ELSE address END,
            context = CASE WHEN id = %(done)s AND %(forget)s THEN '{{}}'::jsonb ELSE context END
        WHERE claimed_by = %(claim)s
          AND ((id = %(done)s AND state IN (%(sending)s, %(unconfirmed)s))
               OR (id = %(next)s AND state = %(pending)s))
        RETURNING id
    """  # noqa: S608 - the table name is the model's own
    params = {
        "claim": claim,
        "done": done.pk if done else None,
        "next": next_row.pk if next_row else None,
        "pending": State.PENDING,
        "sent": State.SENT,
        "sending": State.SENDING,
        "unconfirmed": State.UNCONFIRMED,
        "now": timezone.now(),
        "forget": done is not None and not _keeps_address(done.kind),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        changed = {int(pk) for (pk,) in cursor.fetchall()}
    return next_row is not None and next_row.pk in changed


def _render(
    rows: Sequence[OutboxMessage], *, claim: str, result: DeliveryResult
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
            _postpone(
                members, claim=claim, error=f"unbekannte Nachrichtenart {kind_key}", result=result
            )
            continue
        try:
            with translation.override(language or settings.LANGUAGE_CODE):
                rendered = message_kind.render_batch(members)
            if len(rendered) != len(members):
                raise ValueError(f"{kind_key} rendered {len(rendered)} of {len(members)}")
        except Exception:
            logger.exception("Rendering %s messages failed", kind_key)
            error = f"{kind_key} konnte nicht erstellt werden"
            _postpone(members, claim=claim, error=error, result=result)
            continue
        for row, content in zip(members, rendered, strict=True):
            if content is None:
                skipped.append(row)
            else:
                contents[row.pk] = content
    if skipped:
        logger.info("messaging: %s messages no longer apply", len(skipped))
        result.skipped += _finish(skipped, State.SKIPPED, only=_own(claim, State.PENDING))
    return [(row, contents[row.pk]) for row in rows if row.pk in contents]


def _deliver_on(
    *,
    channel: Channel,
    town: Municipality,
    rows: Sequence[OutboxMessage],
    lease: _Lease,
    result: DeliveryResult,
) -> bool:
    """Sends ``rows`` over one session of ``channel``; ``False`` if the transport was down.

    Every mark is synchronous: a hand-over must be on disk before the channel has
    the message, or a database crash could put a message that went out back to waiting.
    """
    claim = lease.claim
    lease.keep()
    contents = _render(rows, claim=claim, result=result)
    if not contents:
        return True
    waiting = [row for row, _content in contents]
    done: OutboxMessage | None = None
    in_flight: OutboxMessage | None = None
    try:
        with channel.session(town=town) as session:
            for row, content in contents:
                lease.keep()
                ours = _advance(claim=claim, done=done, next_row=row)
                done = None
                waiting.pop(0)  # contents and waiting are in the same order
                if not ours:
                    # Another run took it over (this one was too slow), or it was
                    # erased meanwhile: that run decides, this one leaves it alone.
                    logger.warning("messaging: message %s is no longer this run's", row.pk)
                    continue
                in_flight = row
                try:
                    session.send(Envelope(message=row, content=content))
                except PermanentFailure as exc:
                    result.failed += _finish(
                        [row], State.FAILED, error=str(exc), only=_own(claim, State.SENDING)
                    )
                    in_flight = None
                    continue
                done, in_flight = row, None
                result.sent += 1
            _advance(claim=claim, done=done, next_row=None)
            done = None
    except UncertainDelivery as exc:
        # The transport broke while it had the message: it may have gone out.
        logger.warning("messaging: %s broke during a hand-over (%s)", channel.key, exc)
        _advance(claim=claim, done=done, next_row=None)
        if in_flight is not None:
            result.unconfirmed += _finish(
                [in_flight], State.UNCONFIRMED, error=str(exc), only=_own(claim, State.SENDING)
            )
        _postpone(waiting, claim=claim, error=str(exc), result=result)
        return False
    except TemporaryFailure as exc:
        # The row in the channel's hands was not taken: it waits again with the rest.
        logger.warning("messaging: %s is down (%s)", channel.key, exc)
        _advance(claim=claim, done=done, next_row=None)
        _postpone(
            [row for row in [in_flight, *waiting] if row is not None],
            claim=claim,
            error=str(exc),
            result=result,
        )
        return False
    except Exception:
        # A bug, not a crash: what was handed over is marked, the rest waits again.
        _advance(claim=claim, done=done, next_row=None)
        if in_flight is not None:
            result.unconfirmed += _finish(
                [in_flight],
                State.UNCONFIRMED,
                error="Fehler bei der Übergabe",
                only=_own(claim, State.SENDING),
            )
        _postpone(waiting, claim=claim, error="Fehler bei der Übergabe", result=result)
        raise
    return True


def messages_deliver(*, message_ids: Sequence[int], claim: str | None = None) -> DeliveryResult:
    """Sends the due, waiting rows among ``message_ids``, a batch per channel session.

    ``claim`` names this run and must be its own (``new_claim``; the default makes
    one): rows are taken only if nobody holds them or their holder stopped renewing
    its claim for ``claim_timeout()``, and every mark and hand-over happens only
    while this run still holds the row. Rows not due yet are left waiting
    (``retry_in`` says when the first is). Safe to run twice, in parallel, after a
    crash or beside a slow run: nothing is sent twice; a row left in the channel's
    hands by a dead run becomes ``unconfirmed`` through beat, never sent again.
    Call it with no transaction open (the tasks do): every claim and mark commits
    at once.
    """
    town = current_town()
    result = DeliveryResult()
    lease = _Lease((claim or new_claim())[:CLAIM_MAX_LENGTH])
    rows = _claim(message_ids=message_ids, claim=lease.claim, result=result)
    by_channel: dict[str, list[OutboxMessage]] = defaultdict(list)
    for row in rows:
        by_channel[row.channel].append(row)
    for key, members in by_channel.items():
        channel = channels.get(key)
        if channel is None or not channel.is_available(town=town):
            error = f"Kanal {key} ist in dieser Kommune nicht verfügbar"
            result.failed += _finish(members, State.FAILED, error=error, only=_own(lease.claim))
            continue
        batches = list(_chunks(members, channel.batch_size))
        for number, batch in enumerate(batches):
            if not _deliver_on(channel=channel, town=town, rows=batch, lease=lease, result=result):
                # The transport is down: the later batches need not try it now.
                for later in batches[number + 1 :]:
                    _postpone(
                        later, claim=lease.claim, error="Übertragung nicht möglich", result=result
                    )
                break
    return result


def message_deliver(*, message_id: int, claim: str | None = None) -> DeliveryResult:
    """Sends one row unless it was sent, is being sent, is not due yet or no longer applies."""
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
