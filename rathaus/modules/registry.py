"""The module contract and the registry every service module registers with."""

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeAlias

from django.utils.functional import Promise
from rest_framework import serializers

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
        "audit",
        "branding",
        "federation",
        "i18n",
        "media",
        "modules",
        "staff",
        "support",
        "team",
        "invitation",
        "healthz",
        "static",
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
