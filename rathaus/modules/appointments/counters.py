"""Taking a counter for a booking: the one place with hand-written SQL, and why.

Capacity is the exclusion constraint's job (``models.Booking``): PostgreSQL
refuses a second live booking on a counter for an overlapping time, whatever
the code above it believes. This module only makes racing for the last places
fast. When a town opens new times, hundreds of people book the same few
minutes at once; each attempt is a single statement that

1. finds the counters with no overlapping live booking (in the order given,
   random per attempt, so racers spread out over the counters),
2. takes the transaction-scoped advisory lock of the first one nobody else is
   booking at this moment (``pg_try_advisory_xact_lock`` skips, never waits),
3. inserts the booking there with ``ON CONFLICT DO NOTHING`` (a booking that
   committed after this statement's snapshot, or a reference number that is
   taken, makes it insert nothing instead of failing), and the confirmation
   e-mail's outbox row with it.

So taking the counter costs one round trip and one commit (the checks before
it are one more read, ``selectors.booking_facts``), and no attempt waits for
another's transaction. The ORM cannot write step 2 and 3 as one statement.
"""

import datetime as dt
import random
import re
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Model

from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.db import current_schema_name

from .models import Booking

# How long an attempt keeps trying while others are booking the free counters.
PATIENCE_SECONDS = 5.0

# Parameters: counters (the order to try), location, start, end, exclude (a
# booking that is moving, or 0), lock (the location's lock name), now.
_PICK = f"""
    free AS MATERIALIZED (
        SELECT c.counter
          FROM unnest(%(counters)s::int[]) WITH ORDINALITY AS c(counter, position)
         WHERE NOT EXISTS (
               SELECT 1 FROM {Booking._meta.db_table} b
                WHERE b.location_id = %(location)s AND b.counter = c.counter
                  AND b.id <> %(exclude)s AND {Booking.HOLDS_COUNTER_SQL.format(b="b.")})
         ORDER BY c.position),
    picked AS (
        SELECT counter FROM free
         WHERE pg_try_advisory_xact_lock(hashtext(%(lock)s), counter)
         LIMIT 1)
"""  # noqa: S608 - the table name is the model's own

_RESULT = f"""
    (SELECT count(*) FROM free),
    (SELECT counter FROM picked),
    EXISTS (SELECT 1 FROM {Booking._meta.db_table}
             WHERE location_id = %(location)s AND id <> %(exclude)s
               AND {Booking.HOLDS_COUNTER_SQL.format(b="")}
               AND status = 'pending' AND hold_until < %(now)s)
"""  # noqa: S608 - the table name is the model's own


@dataclass(frozen=True)
class Attempt:
    """What one try found: a counter taken, or why not."""

    counter: int | None  # the counter now held (booked, or locked for a move)
    free: int  # counters with no live booking, as this attempt saw them
    tried: int | None  # the counter it locked (None: others were booking all free ones)
    stale_holds: bool  # a guest's run-out hold blocks a counter; expire it and try again
    message_id: int | None = None  # the confirmation e-mail's outbox row, with the booking


def _lock_name(location_id: int) -> str:
    # Advisory locks are database-wide, so the name says the town's schema too.
    return f"{current_schema_name()}:appointments:{location_id}"


def _pick_params(
    *,
    location_id: int,
    start: dt.datetime,
    end: dt.datetime,
    counters: int,
    exclude: int,
    now: dt.datetime,
) -> dict[str, Any]:
    order = list(range(1, counters + 1))
    random.shuffle(order)
    return {
        "counters": order,
        "location": location_id,
        "start": start,
        "end": end,
        "exclude": exclude,
        "lock": _lock_name(location_id),
        "now": now,
    }


@dataclass(frozen=True)
class _InsertTemplate:
    columns: str
    values: str
    prefix: str
    fields: tuple[Any, ...]  # the fields whose values are parameters ``<prefix><column>``

    def params(self, instance: Model) -> dict[str, Any]:
        """The instance's values as ``save()`` would write them (defaults, ``auto_now``)."""
        return {
            f"{self.prefix}{field.column}": field.get_db_prep_save(
                field.pre_save(instance, add=True), connection
            )
            for field in self.fields
        }


@lru_cache(maxsize=8)
def _insert_template(
    model: type[Model], prefix: str, computed: tuple[tuple[str, str], ...]
) -> _InsertTemplate:
    """Columns and a SELECT list that insert a ``model`` instance like ``save()`` would.

    ``computed`` gives SQL for some columns instead of the instance's value;
    ``prefix`` keeps the parameter names of two models in one statement apart.
    Every concrete field is included, so a field added to the model later is
    written here too.
    """
    sql_for = dict(computed)
    columns, values, fields = [], [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        column = str(field.column)
        columns.append(connection.ops.quote_name(column))
        if column in sql_for:
            values.append(sql_for[column])
        else:
            # Without a length (varchar, not varchar(200)): a cast would cut a
            # long value short, the column refuses it.
            cast = re.sub(r"\(.*\)", "", str(field.cast_db_type(connection)))
            values.append(f"%({prefix}{column})s::{cast}")
            fields.append(field)
    return _InsertTemplate(", ".join(columns), ", ".join(values), prefix, tuple(fields))


@lru_cache(maxsize=1)
def _booking_insert_sql() -> tuple[str, _InsertTemplate, _InsertTemplate]:
    booking = _insert_template(Booking, "b_", (("counter", "picked.counter"),))
    mail = _insert_template(OutboxMessage, "m_", ())
    sql = f"""
        WITH {_PICK},
        booked AS (
            INSERT INTO {Booking._meta.db_table} ({booking.columns})
            SELECT {booking.values} FROM picked
            -- No target: a booking that took the counter meanwhile (the exclusion
            -- constraint) and a reference number drawn twice (its unique index) both
            -- insert nothing, and the caller tries again with a new number.
            ON CONFLICT DO NOTHING
            RETURNING id, counter),
        mailed AS (
            INSERT INTO {OutboxMessage._meta.db_table} ({mail.columns})
            SELECT {mail.values} FROM booked
            RETURNING id)
        SELECT {_RESULT}, (SELECT id FROM booked), (SELECT counter FROM booked),
               (SELECT id FROM mailed)
    """  # noqa: S608 - names are the models' own; values are parameters
    return sql, booking, mail


def booking_insert(
    *, booking: Booking, counters: int, message: OutboxMessage, now: dt.datetime
) -> Attempt:
    """Inserts ``booking`` on a free counter of the first ``counters``, with ``message``
    (a prepared outbox row, ``messaging.services.message_prepare``) if it was booked."""
    sql, booking_template, mail_template = _booking_insert_sql()
    params = _pick_params(
        location_id=booking.location_id,
        start=booking.start,
        end=booking.end,
        counters=counters,
        exclude=0,
        now=now,
    )
    params.update(booking_template.params(booking))
    params.update(mail_template.params(message))
    free, tried, stale_holds, booking_id, counter, message_id = _fetch_one(sql, params)
    if booking_id is not None:
        booking.pk = booking_id
        booking.counter = counter
        booking._state.adding = False
        booking._state.db = connection.alias
    return Attempt(counter, free, tried, stale_holds, message_id)


def counter_pick(
    *,
    location_id: int,
    start: dt.datetime,
    end: dt.datetime,
    counters: int,
    exclude: int,
    now: dt.datetime,
) -> Attempt:
    """Locks a counter free for ``[start, end)`` until the transaction ends (for moves).

    The caller saves the booking there; the constraint may still refuse it if
    a booking committed since this statement's snapshot.
    """
    params = _pick_params(
        location_id=location_id,
        start=start,
        end=end,
        counters=counters,
        exclude=exclude,
        now=now,
    )
    free, tried, stale_holds = _fetch_one(f"WITH {_PICK} SELECT {_RESULT}", params)
    return Attempt(tried, free, tried, stale_holds)


def _fetch_one(sql: str, params: dict[str, Any]) -> tuple[Any, ...]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        raise LookupError("the statement returned no row")
    return tuple(row)


def holds_expire_at(
    *, location_id: int, start: dt.datetime, end: dt.datetime, now: dt.datetime, exclude: int
) -> int:
    """Guests' holds at ``location_id`` from ``start`` to ``end`` that ran out unconfirmed
    give their counter back (all but booking ``exclude``); returns how many."""
    sql = f"""
        UPDATE {Booking._meta.db_table} SET status = 'expired'
         WHERE location_id = %(location)s AND id <> %(exclude)s
           AND {Booking.HOLDS_COUNTER_SQL.format(b="")}
           AND status = 'pending' AND hold_until < %(now)s
    """  # noqa: S608 - the table name is the model's own
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {"location": location_id, "start": start, "end": end, "now": now, "exclude": exclude},
        )
        return int(cursor.rowcount)


def counter_lock(*, location_id: int, counter: int) -> None:
    """Waits for the advisory lock of one counter (to revive a guest's run-out hold)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), %s)", [_lock_name(location_id), counter]
        )


class Backoff:
    """How long an attempt keeps trying: short, jittered pauses, and a deadline for all."""

    def __init__(self, patience: float = PATIENCE_SECONDS) -> None:
        self.deadline = time.monotonic() + patience
        self.pause = 0.001

    def again(self, *, at_once: bool = False) -> bool:
        """``False`` once patience is used up; else sleeps a little unless ``at_once``."""
        if time.monotonic() > self.deadline:
            return False
        if not at_once:
            time.sleep(self.pause * random.uniform(0.5, 1.5))  # noqa: S311 - jitter, not a secret
            self.pause = min(self.pause * 2, 0.02)
        return True
