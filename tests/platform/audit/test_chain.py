"""A town's audit log is a hash chain: a rewritten, removed or cut-off entry is named."""

import itertools
import threading
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django_tenants.utils import schema_context

from rathaus.platform.audit.chain import GENESIS, audit_chain_verify
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.services import Actor, audit_record
from rathaus.tenants.models import Municipality
from rathaus.tenants.provisioning import schema_provision
from rathaus.vendor.audit_anchors import all_tenants_audit_anchor, town_audit_verify
from rathaus.vendor.models import AuditAnchor
from tests.threads import in_thread

ACTOR = Actor.system("test")


def _write(town: Any, count: int) -> list[AuditEntry]:
    return [
        audit_record(town=town, actor=ACTOR, action="test.entry", target=str(n), after={"n": n})
        for n in range(count)
    ]


def _as_superuser(town: Municipality, sql: str, params: list[Any]) -> None:
    """What the table's owner (or a superuser) could do past the append-only trigger."""
    guard = "audit_auditentry DISABLE TRIGGER audit_entry_no_update_or_delete"
    with schema_context(town.schema_name), connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {guard}")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE {guard.replace('DISABLE', 'ENABLE')}")


def test_each_entry_carries_the_hash_of_the_one_before(town_a: Municipality) -> None:
    _write(town_a, 3)

    with schema_context(town_a.schema_name):
        entries = list(AuditEntry.objects.order_by("id"))
    report = audit_chain_verify(town=town_a)

    assert report.ok, report
    assert report.entries == len(entries)
    assert entries[0].previous_hash == GENESIS
    for before, entry in itertools.pairwise(entries):
        assert entry.previous_hash == before.entry_hash
        assert len(entry.entry_hash) == 64


def test_an_entry_rewritten_past_the_trigger_is_named(town_a: Municipality) -> None:
    entries = _write(town_a, 4)

    _as_superuser(
        town_a,
        "UPDATE audit_auditentry SET actor = 'nobody' WHERE id = %s",
        [entries[1].pk],
    )
    report = audit_chain_verify(town=town_a)

    assert report.broken_at == entries[1].pk
    assert "changed" in report.reason


def test_an_entry_removed_from_the_middle_breaks_the_chain_at_the_next(
    town_a: Municipality,
) -> None:
    entries = _write(town_a, 4)

    _as_superuser(town_a, "DELETE FROM audit_auditentry WHERE id = %s", [entries[2].pk])

    assert audit_chain_verify(town=town_a).broken_at == entries[3].pk


def test_entries_cut_off_at_the_end_are_shown_by_the_vendors_anchor(
    town_a: Municipality, town_b: Municipality
) -> None:
    entries = _write(town_a, 3)
    _write(town_b, 1)

    assert all_tenants_audit_anchor() >= 2
    assert all_tenants_audit_anchor() == 0  # an unchanged head is anchored once
    _as_superuser(town_a, "DELETE FROM audit_auditentry WHERE id >= %s", [entries[1].pk])

    broken = town_audit_verify(town=town_a).report
    assert broken.broken_at == entries[2].pk
    assert "removed" in broken.reason
    assert town_audit_verify(town=town_b).report.ok
    assert AuditAnchor.objects.filter(town=town_a, entry_id=entries[2].pk).exists()


def test_the_command_names_the_broken_town_and_entry(town_a: Municipality) -> None:
    entries = _write(town_a, 2)
    _as_superuser(town_a, "UPDATE audit_auditentry SET target = 'x' WHERE id = %s", [entries[0].pk])

    with pytest.raises(CommandError, match="1 Protokoll"):
        call_command("audit_verify", town_a.ags)


def test_writers_at_the_same_time_make_one_unbroken_chain(db: None) -> None:
    town = SimpleNamespace(schema_name="cmp_audit_race")
    failures: list[BaseException] = []
    start = threading.Barrier(6)

    def setup() -> None:
        try:
            schema_provision(schema_name=town.schema_name)
        finally:
            connections.close_all()

    def writer() -> None:
        try:
            start.wait(timeout=30)
            _write(town, 10)
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connections.close_all()

    def verify_and_drop() -> None:
        try:
            report = audit_chain_verify(town=town)  # type: ignore[arg-type]
            results.append(report)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP SCHEMA IF EXISTS {town.schema_name} CASCADE")
            connections.close_all()

    results: list[Any] = []
    in_thread(setup)
    threads = [threading.Thread(target=writer) for _ in range(6)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    finally:
        in_thread(verify_and_drop)

    assert not failures
    assert results[0].ok, results[0]
    assert results[0].entries == 60
