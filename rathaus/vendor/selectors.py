"""Reads across towns for the vendor's console and API (vendor code crosses schemas by name)."""

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django_tenants.utils import schema_context

from rathaus.billing.models import BillingAccount
from rathaus.modules.models import ModuleActivation
from rathaus.modules.registry import modules as module_registry
from rathaus.platform.audit.models import AuditEntry
from rathaus.platform.audit.wording import AuditLine, audit_lines
from rathaus.platform.branding.checklist import ChecklistItem, branding_checklist
from rathaus.platform.branding.selectors import stored_branding
from rathaus.tenants.models import Domain, Municipality


@dataclass(frozen=True)
class TownOverview:
    """A town as the vendor sees it: status, active modules, people and recent activity."""

    town: Municipality
    modules: list[str]
    citizens: int
    staff: int
    last_login: Any
    actions_30_days: int

    @property
    def module_titles(self) -> list[str]:
        """The active modules as people call them ("Termine"), not by their code keys."""
        return [str(module_registry[key].title) for key in self.modules if key in module_registry]


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


# --- the console's list: search, filters, paging -------------------------------------

TOWNS_PER_PAGE = 25


@dataclass(frozen=True)
class TownFilters:
    """What the vendor looks for: words (name, short name, AGS or host), status, Land, module."""

    query: str = ""
    status: str = ""
    state: str = ""
    module: str = ""

    @property
    def any(self) -> bool:
        return bool(self.query or self.status or self.state or self.module)


def towns_filtered(*, filters: TownFilters) -> QuerySet[Municipality]:
    """The towns matching ``filters``, by name; each filter left empty matches every town.

    ``query`` matches a part of the name, short name or a host name, or the
    beginning of the AGS; ``module`` keeps the towns where that module is
    active (allowed by the vendor and enabled by the town).
    """
    towns = Municipality.objects.order_by("name", "ags")
    query = filters.query.strip()
    if query:
        towns = towns.filter(
            Q(name__icontains=query)
            | Q(slug__icontains=query)
            | Q(ags__startswith=query)
            | Q(domains__domain__icontains=query)
        ).distinct()
    if filters.status:
        towns = towns.filter(status=filters.status)
    if filters.state:
        towns = towns.in_state(filters.state)
    if filters.module:
        towns = towns.filter(
            module_activations__module=filters.module,
            module_activations__allowed=True,
            module_activations__enabled=True,
        )
    return towns


@dataclass(frozen=True)
class TownPage:
    """One page of the console's town list: the overviews shown and the paginator's page."""

    page: Page[Municipality]
    rows: list[TownOverview]


def all_tenants_page(
    *, filters: TownFilters, page: int | str | None = 1, per_page: int | None = None
) -> TownPage:
    """The page ``page`` of the towns matching ``filters``, each with its overview.

    Counts are read only for the towns on the page (one query across their
    schemas), so a deployment with a whole Land stays quick. A page number out
    of range gives the last page, as a stale link should. ``per_page`` defaults
    to ``TOWNS_PER_PAGE``.
    """
    paginator = Paginator(
        towns_filtered(filters=filters).prefetch_related("domains"), per_page or TOWNS_PER_PAGE
    )
    current = paginator.get_page(page)
    return TownPage(page=current, rows=all_tenants_overview(towns=list(current.object_list)))


# --- one town in detail -----------------------------------------------------------------


@dataclass(frozen=True)
class ModuleState:
    """A module as one town has it: its title, and the vendor's and the town's gate."""

    key: str
    title: str
    allowed: bool
    enabled: bool

    @property
    def active(self) -> bool:
        return self.allowed and self.enabled


@dataclass(frozen=True)
class BillingState:
    """The town's customer and subscription at Stripe, how it pays, which modules are billed."""

    customer_id: str
    billed_modules: list[str]
    account: BillingAccount | None = None

    @property
    def has_customer(self) -> bool:
        return bool(self.customer_id)


@dataclass(frozen=True)
class TownDetail:
    """Everything the console shows on a town's own page."""

    overview: TownOverview
    modules: list[ModuleState]
    domains: list[Domain]
    billing: BillingState
    activity: list[AuditLine]
    support_sessions: list[AuditEntry]
    identity: list[ChecklistItem]


ACTIVITY_SHOWN = 10


def all_tenants_town_detail(*, town: Municipality) -> TownDetail:
    """``town`` as the vendor sees it: modules (by title), domains, billing, recent activity,
    support sessions and what its public identity still lacks.

    Reads the town's own schema for its audit log and branding (vendor code,
    crossing into one town's schema by name) and returns to the caller's schema.
    """
    activations = {row.module: row for row in ModuleActivation.objects.filter(town=town)}
    module_states = [
        ModuleState(
            key=module.key,
            title=str(module.title),
            allowed=bool(activations.get(module.key) and activations[module.key].allowed),
            enabled=bool(activations.get(module.key) and activations[module.key].enabled),
        )
        for module in module_registry
    ]
    account = BillingAccount.objects.filter(town=town).first()
    with schema_context(town.schema_name):
        # Worded here, in the town's schema: the actors' names are the town's accounts.
        activity = audit_lines(AuditEntry.objects.all()[:ACTIVITY_SHOWN])
        support = list(AuditEntry.objects.filter(action="support.start")[:ACTIVITY_SHOWN])
        identity = branding_checklist(branding=stored_branding())
    return TownDetail(
        overview=all_tenants_overview(towns=[town])[0],
        modules=module_states,
        domains=sorted(town.domains.all(), key=lambda d: (not d.is_primary, d.domain)),
        billing=BillingState(
            customer_id=account.stripe_customer_id if account else "",
            billed_modules=[state.title for state in module_states if state.allowed],
            account=account,
        ),
        activity=activity,
        support_sessions=support,
        identity=identity,
    )
