"""The module contract and the registry every service module registers with.

Nothing here imports the rest of Rathaus at run time (the type names below are
for the type checker only), so every layer may read the contract.
"""

import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from django.utils.functional import Promise
from rest_framework import serializers

if TYPE_CHECKING:
    from rathaus.platform.audit.services import Actor
    from rathaus.platform.catalogue.entries import NextFree, ServiceEntry
    from rathaus.platform.identity.models import User
    from rathaus.tenants.models import Municipality

Text: TypeAlias = str | Promise


@dataclass(frozen=True)
class NavEntry:
    """A link shown only while its module is active.

    Citizen entries go into the town's navigation and are reversed in the
    module's namespace ("index" -> "appointments:index"); ``staff_only``
    entries go onto the back office's start page, reversed in the staff
    namespace ("index" -> "staff-appointments:index").
    """

    label: Text
    url_name: str
    staff_only: bool = False

    def namespace(self, module_key: str) -> str:
        return f"staff-{module_key}" if self.staff_only else module_key


@dataclass(frozen=True)
class AccountItem:
    """One thing a section of "Mein Rathaus" lists, e.g. the next appointment.

    ``url`` is a path on the town's site (a signed link is fine), ``detail``
    a few words under the title ("Do., 03.12.2026, 10:00 Uhr").
    """

    title: Text
    url: str = ""
    detail: Text = ""


@dataclass(frozen=True)
class AccountSection:
    """A part of "Mein Rathaus" a module adds for a person, e.g. "Meine Termine".

    ``url_name`` is reversed in the module's namespace; ``summary`` says in a
    few words what is there ("2 kommende Termine"); ``items`` lists the first
    few things themselves (the next appointments), the page at ``url_name`` all.
    """

    title: Text
    url_name: str
    summary: Text = ""
    items: tuple[AccountItem, ...] = ()


class DurationMinutes(serializers.IntegerField):
    """A settings field holding a duration in whole minutes.

    Stored and sent as minutes like any ``IntegerField``; the back office asks
    for it in hours and minutes ("1 Std. 30 Min.") instead of a bare number.
    """


@dataclass(frozen=True)
class Role:
    """A staff role a module defines, e.g. the clerk who manages bookings."""

    key: str
    label: Text
    description: Text = field(default="")


class Module:
    """Base class of a service module: everything the platform needs to know about it.

    Subclasses set the class attributes below and are decorated with
    ``@modules.register``. The platform mounts ``citizen_urls`` under
    ``/<key>/``, ``staff_urls`` under ``/staff/<key>/`` and ``api_urls``
    under ``/api/v1/<key>/``; all of them answer 404 for a town where the
    module is not active (vendor allows it *and* the town enables it).
    """

    key: ClassVar[str]
    title: ClassVar[Text]
    description: ClassVar[Text] = ""
    # Validates the town's settings of this module; its validated_data is stored.
    settings_serializer: ClassVar[type[serializers.Serializer] | None] = None
    citizen_urls: ClassVar[str | None] = None
    staff_urls: ClassVar[str | None] = None
    api_urls: ClassVar[str | None] = None
    nav: ClassVar[tuple[NavEntry, ...]] = ()
    roles: ClassVar[tuple[Role, ...]] = ()
    # The billing price key (Stripe lookup key) of this module.
    price: ClassVar[str]
    # Switched on for new towns unless the vendor chooses otherwise.
    default_enabled: ClassVar[bool] = False
    # Celery beat entries ({"name": {"task": ..., "schedule": ...}}), run in
    # every active town where this module is active; tasks must be idempotent.
    periodic_tasks: ClassVar[Mapping[str, Mapping[str, Any]]] = {}

    # --- v2: every hook below is optional; the defaults do nothing. ----------------
    #
    # Personal data: every model of the module is named in exactly one of these
    # (the conformance test checks it, as Zulip checks its export tables).
    # ``personal_models`` hold data on a person and are covered by
    # ``personal_data_export`` and ``personal_data_erase``; ``exempt_models``
    # name each other model with the reason it holds none.
    personal_models: ClassVar[tuple[str, ...]] = ()
    exempt_models: ClassVar[Mapping[str, str]] = {}
    # Ports this module provides to others: delivery channels of the platform's
    # outbox (``rathaus.platform.messaging``), as dotted paths to ``Channel``
    # classes that name their ``key``. The module framework registers them
    # (``rathaus.modules.channels``); they reach only towns where the module is active.
    channels: ClassVar[tuple[str, ...]] = ()
    # The module's listener of the payments port (``rathaus.platform.payments``): the dotted
    # path to a ``Listener`` class, told when a payment the module asked for is paid,
    # failed or refunded. The module framework registers it under the module's key.
    payment_listener: ClassVar[str | None] = None

    @classmethod
    def personal_data_export(cls, *, user: "User") -> dict[str, Any]:
        """What the module keeps on ``user`` in the current town, as JSON-able data
        (GDPR Art. 15 and 20); part of the person's "Meine Daten" download."""
        return {}

    @classmethod
    def personal_data_erase(cls, *, user: "User") -> None:
        """Erases or anonymises what the module keeps on ``user`` in the current town; called
        when the person deletes the account (GDPR Art. 17), before the account row goes."""

    @classmethod
    def account_sections(cls, *, user: "User") -> list[AccountSection]:
        """What "Mein Rathaus" shows of this module for ``user`` (current town)."""
        return []

    @classmethod
    def catalogue_entries(cls) -> list["ServiceEntry"]:
        """The services this module offers in the current town, for the town's home page,
        its life situations and its search (``rathaus.platform.catalogue.entries``), e.g.
        each bookable appointment service. Asked on every catalogue page: keep it to a few
        queries. An entry's ``key`` is its page's address and must stay when its title changes."""
        return []

    @classmethod
    def catalogue_next_free(cls, *, keys: Sequence[str]) -> dict[str, "NextFree"]:
        """The next free appointment of each of this module's entries ``keys`` that has one
        (current town), by key; asked only for the few services a page shows."""
        return {}

    @classmethod
    def demo_load(cls, *, town: "Municipality", actor: "Actor") -> None:
        """Adds sample content for a demo town; runs again without adding more."""

    @classmethod
    def on_allowed(cls, *, town: "Municipality") -> None:
        """The vendor allowed the module for ``town`` (after the change is committed; runs in
        the town's schema; the framework then sends ``rathaus.modules.signals.module_allowed``)."""

    @classmethod
    def on_withdrawn(cls, *, town: "Municipality") -> None:
        """The vendor withdrew the module from ``town`` (after the change is committed; runs in
        the town's schema; then ``rathaus.modules.signals.module_withdrawn`` is sent)."""

    @classmethod
    def town_export(cls, *, town: "Municipality") -> dict[str, list[dict[str, Any]]]:
        """The module's data of ``town`` readable without Rathaus (offboarding): named
        tables as lists of rows of plain values, written as JSON into the archive
        (``modules/<key>.json``). Runs in the town's schema."""
        return {}

    @classmethod
    def switch_off_consequences(cls, *, town: "Municipality") -> Sequence[Text]:
        """What switching the module off means for ``town``'s people and data, in the module's
        words and true to what happens ("12 offene Termine bleiben bestehen …"). The town
        admin reads it on the confirmation page before switching the module off. Runs in
        the town's schema; the framework adds what holds for every module (pages gone,
        data kept)."""
        return []

    @classmethod
    def describe_audit_entry(
        cls, *, action: str, target: str, before: Any, after: Any, actor: str
    ) -> Text | None:
        """The module's audit entry ``action`` (one of its own, ``<key>.…``) as a sentence
        in plain language with ``actor`` (a person's name) as subject: "Erika Muster hat
        den Termin von … abgesagt". ``None``: the platform's generic wording."""
        return None

    # The module's audit actions with a label for the audit log's "Was" filter
    # ({"news.post.publish": _("Beitrag veröffentlicht")}); prefixes (ending in ".")
    # stand for every action under them.
    audit_actions: ClassVar[Mapping[str, Text]] = {}

    @classmethod
    def default_settings(cls) -> dict[str, object]:
        """The settings a town starts with: the serializer's defaults."""
        if cls.settings_serializer is None:
            return {}
        serializer = cls.settings_serializer(data={})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.data)


# Paths the platform itself uses at /<name>/ and /staff/<name>/.
RESERVED_KEYS = frozenset(
    {
        "accounts",
        "api",
        "barrierefreiheit",
        "datenschutz",
        "impressum",
        "audit",
        "branding",
        "federation",
        "i18n",
        "media",
        "modules",
        "payments",
        "staff",
        "support",
        "team",
        "invitation",
        "healthz",
        "static",
        # The service catalogue (rathaus.platform.catalogue).
        "leistungen",
        "lebenslagen",
        "suche",
    }
)


class ModuleRegistry:
    """All registered modules, keyed and ordered by their key."""

    def __init__(self) -> None:
        self._modules: dict[str, type[Module]] = {}

    def register(self, module: type[Module]) -> type[Module]:
        """Class decorator: adds a module; a key can be registered only once."""
        key = module.key
        if not key.isidentifier() or key != key.lower():
            raise ValueError(f"Module key {key!r} must be a lowercase identifier")
        if key in RESERVED_KEYS:
            raise ValueError(f"Module key {key!r} is a path the platform uses itself")
        if key in self._modules and self._modules[key] is not module:
            raise ValueError(f"Module key {key!r} is registered twice")
        self._modules[key] = module
        return module

    def __getitem__(self, key: str) -> type[Module]:
        return self._modules[key]

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def __iter__(self) -> Iterator[type[Module]]:
        return iter(sorted(self._modules.values(), key=lambda module: module.key))

    def keys(self) -> list[str]:
        return sorted(self._modules)


modules = ModuleRegistry()


def module_beat_schedule() -> dict[str, dict[str, Any]]:
    """Every module's periodic tasks as beat entries, tagged with their module's key.

    The tag lets the beat scheduler send each entry only to towns where the
    module is active (``rathaus.config.beat``).
    """
    schedule: dict[str, dict[str, Any]] = {}
    for module in modules:
        for name, spec in module.periodic_tasks.items():
            entry = copy.deepcopy(dict(spec))
            entry.setdefault("options", {}).setdefault("headers", {})["_module"] = module.key
            schedule[f"{module.key}.{name}"] = entry
    return schedule
