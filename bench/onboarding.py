"""Provisions towns both ways on the project's real schema, side by side, and compares.

    .venv/bin/python bench/onboarding.py [--towns 10]

"migrate-on-create" is django-tenants' own way (CREATE SCHEMA, then every
migration in it); "template" replays the stored template; "warm pool" renames a
ready schema (what onboarding does while the pool has one; the pool is
refilled in the background, its fill time is printed separately). Each way
creates the whole town row with its domain through ``municipality_create``;
the ways alternate, so none gets a warmer machine. The bench towns
(AGS 16999xxx) are removed before and after.

Runs in a scratch database, Redis databases and Celery queue of its own
(bench/_setup.py); needs no environment.
"""

import argparse
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager

from _setup import bench_setup

bench_setup("onboarding", timeout=900)

from django.db import connection  # noqa: E402
from django_tenants.models import TenantMixin  # noqa: E402

from rathaus.tenants.catalog import schema_fingerprint  # noqa: E402
from rathaus.tenants.models import Municipality, SchemaMigrationState  # noqa: E402
from rathaus.tenants.provisioning import (  # noqa: E402
    pool_drain,
    pool_fill,
    pool_size,
    template_build,
)
from rathaus.tenants.services import municipality_create  # noqa: E402

PREFIX = "16999"


def cleanup() -> None:
    for town in Municipality.objects.filter(ags__startswith=PREFIX):
        with connection.cursor() as cursor:
            cursor.execute(f"DROP SCHEMA IF EXISTS {town.schema_name} CASCADE")
        town.domains.all().delete()
        Municipality.objects.filter(pk=town.pk).delete()
    SchemaMigrationState.objects.filter(schema_name__startswith=f"town_{PREFIX}").delete()


@contextmanager
def migrate_on_create() -> Iterator[None]:
    """Municipality uses django-tenants' own create_schema (migrations) for the block."""
    ours = Municipality.create_schema

    def quiet(self: Municipality, check_if_exists: bool = False, **kwargs: object) -> None:
        TenantMixin.create_schema(self, check_if_exists=check_if_exists, verbosity=0)

    Municipality.create_schema = quiet  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        Municipality.create_schema = ours  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--towns", type=int, default=10, help="towns per way")
    towns = parser.parse_args().towns
    cleanup()
    pool_drain()
    fills: list[float] = []
    started = time.perf_counter()
    template_build()  # once per deploy (migrate_all builds it); not part of a town's time
    print(f"template ready in {1000 * (time.perf_counter() - started):.0f} ms (once per deploy)")

    ways = ("migrate-on-create", "template", "warm pool")
    timings: dict[str, list[float]] = {way: [] for way in ways}
    try:
        for i in range(towns):
            for n, way in enumerate(ways):
                ags = f"{PREFIX}{3 * i + n:03d}"
                if way == "warm pool":
                    started = time.perf_counter()
                    pool_fill(size=1)
                    fills.append(time.perf_counter() - started)
                else:
                    assert pool_size() == 0  # the other ways find no pool: replay
                start = time.perf_counter()
                if way == "migrate-on-create":
                    with migrate_on_create():
                        municipality_create(name=f"Bench {ags}", slug=f"bench-{ags}", ags=ags)
                else:
                    municipality_create(name=f"Bench {ags}", slug=f"bench-{ags}", ags=ags)
                timings[way].append(time.perf_counter() - start)
        reference = schema_fingerprint(schema_name=f"town_{PREFIX}000")
        same = all(
            schema_fingerprint(schema_name=f"town_{PREFIX}{n:03d}") == reference for n in (1, 2)
        )
        print(f"schemas identical (catalog fingerprint): {same}")
        assert same

        tables = len(reference["tables"])
    finally:
        cleanup()
    print(f"{towns} towns each way; a town schema has {tables} tables")
    for way, values in timings.items():
        print(
            f"{way:>18}: {1000 * statistics.mean(values):7.1f} ms per town "
            f"(median {1000 * statistics.median(values):.1f} ms)"
        )
    print(f"{'pool refill':>18}: {1000 * statistics.mean(fills):7.1f} ms per schema (background)")
    baseline = statistics.mean(timings["migrate-on-create"])
    print(
        f"speedup of template replay alone: {baseline / statistics.mean(timings['template']):.1f}x"
    )
    print(f"speedup: {baseline / statistics.mean(timings['warm pool']):.1f}x")


if __name__ == "__main__":
    main()
