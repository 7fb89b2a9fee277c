"""Who may read a private file: the owning account, or staff working on a module.

A download link names its readers; the download view lets in a logged-in
person any of them admits. Readers travel inside the signed link as short
lists (``["account", 42]``), so a reader kind is a small frozen dataclass with
a ``kind``, its ``key()`` and ``admits(user)``, registered in ``KINDS``.
"""

from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

from rathaus.platform.staff.selectors import may_work_on


class Reader(Protocol):
    kind: ClassVar[str]

    def key(self) -> list[Any]:
        """This reader as JSON, ``[kind, ...]``; ``reader_from_key`` reads it back."""
        ...

    def admits(self, user: Any) -> bool:
        """Whether ``user`` (the request's, possibly anonymous) may read the file."""
        ...


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@dataclass(frozen=True)
class Account:
    """One account of the town: the citizen or organisation the file belongs to."""

    kind: ClassVar[str] = "account"
    user_id: int

    def key(self) -> list[Any]:
        return [self.kind, self.user_id]

    def admits(self, user: Any) -> bool:
        return _active(user) and user.pk == self.user_id


@dataclass(frozen=True)
class StaffOf:
    """The town's staff working on ``module`` (with ``role``, if given); town admins too."""

    kind: ClassVar[str] = "staff"
    module: str
    role: str | None = None

    def key(self) -> list[Any]:
        return [self.kind, self.module, self.role]

    def admits(self, user: Any) -> bool:
        return _active(user) and may_work_on(user=user, module=self.module, role=self.role)


KINDS: dict[str, Any] = {Account.kind: Account, StaffOf.kind: StaffOf}


def reader_from_key(key: list[Any]) -> Reader:
    """The reader ``Reader.key()`` described; ``ValueError`` for a key of no known kind."""
    if not key or key[0] not in KINDS:
        raise ValueError(f"no reader kind {key[:1]!r}; known: {sorted(KINDS)}")
    reader: Reader = KINDS[key[0]](*key[1:])
    return reader
