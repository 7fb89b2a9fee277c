"""Reads across towns for the vendor's console and API (vendor code crosses schemas by name)."""

from dataclasses import dataclass
from typing import Any

from django.db import connection

from rathaus.modules.models import ModuleActivation
from rathaus.tenants.models import Municipality


@dataclass(frozen=True)
class TownOverview:
    """A town as the vendor sees it: status, active modules, people and recent activity."""

    town: Municipality
    modules: list[str]
    citizens: int
    staff: int
    last_login: Any
    actions_30_days: int


def all_tenants_overview(*, towns: list[Municipality] | None = None) -> list[TownOverview]:
    """Every town (or ``towns``) with counts read from each town's own schema.

    Crosses schemas on purpose (vendor code): one UNION ALL query over the
    towns' schemas, not one query per town.
    """
    towns = list(Municipality.objects.prefetch_related("domains")) if towns is None else towns
    if not towns:
        return []
    active: dict[int, list[str]] = {}
    for town_id, module in ModuleActivation.objects.filter(
        town__in=towns, allowed=True, enabled=True
    ).values_list("town_id", "module"):
        active.setdefault(town_id, []).append(module)
    parts = []
    for town in towns:
        # Schema names are validated identifiers (town_<AGS>), quoted as such.
        schema = connection.ops.quote_name(town.schema_name)
        parts.append(
            f"SELECT %s, "  # noqa: S608
            f"(SELECT count(*) FROM {schema}.identity_user WHERE NOT is_staff), "
            f"(SELECT count(*) FROM {schema}.identity_user WHERE is_staff), "
            f"(SELECT max(last_login) FROM {schema}.identity_user), "
            f"(SELECT count(*) FROM {schema}.audit_auditentry "
            f" WHERE created_at > now() - interval '30 days')"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), [town.schema_name for town in towns])
        counts = {row[0]: row[1:] for row in cursor.fetchall()}
    return [
        TownOverview(
            town=town,
            modules=sorted(active.get(town.pk, [])),
            citizens=counts[town.schema_name][0],
            staff=counts[town.schema_name][1],
            last_login=counts[town.schema_name][2],
            actions_30_days=counts[town.schema_name][3],
        )
        for town in towns
    ]
