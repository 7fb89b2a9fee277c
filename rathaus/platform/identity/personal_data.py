"""The personal-data port: what every part of Rathaus keeps on a person, for the export
(GDPR Art. 15 and 20) and for erasure when the account is deleted (Art. 17).

Identity knows only accounts. Every other part that keeps data on a person
(state-account links, the outbox, each service module through the module
framework) registers a section here, so "Meine Daten" stays complete and
deleting an account leaves nothing behind, without identity naming them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rathaus.platform.identity.models import User


@dataclass(frozen=True)
class PersonalDataSection:
    """``export(user)`` returns JSON-able data; ``erase(user)`` deletes or anonymises it.

    Both run in the current town's schema. ``erase`` runs before the account row is
    deleted, so it can still find what belongs to the person (by id or address).
    """

    name: str
    export: Callable[[User], Any]
    erase: Callable[[User], None] | None = None


_sections: dict[str, PersonalDataSection] = {}


def personal_data_section(
    name: str, *, export: Callable[[User], Any], erase: Callable[[User], None] | None = None
) -> PersonalDataSection:
    """Registers a section under ``name`` (its key in the export); a name is registered once."""
    section = PersonalDataSection(name=name, export=export, erase=erase)
    existing = _sections.get(name)
    if existing is not None and existing != section:
        raise ValueError(f"personal data section {name!r} is registered twice")
    _sections[name] = section
    return section


def personal_data_sections() -> list[PersonalDataSection]:
    return [_sections[name] for name in sorted(_sections)]
