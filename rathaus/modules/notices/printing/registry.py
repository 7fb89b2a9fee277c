"""Print-and-mail partners behind one interface, after Open Forms' plugin registries.

A partner takes a PDF letter (``upload``: with the letter's own idempotency key,
so a repeated upload makes no second letter), tells its status normalised to
``accepted``, ``printing``, ``posted`` (with the posting date, from which the
deemed delivery counts: § 41 Abs. 2 VwVfG) or ``undeliverable`` (and
``cancelled``), and cancels a letter while it is not printed yet. Partners live
under ``printing/contrib/<key>/`` and register with ``@partners.register(key)``.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

from rathaus.platform.messaging.registry import Plugin, Registry

ACCEPTED, PRINTING, POSTED, UNDELIVERABLE, CANCELLED = (
    "accepted",
    "printing",
    "posted",
    "undeliverable",
    "cancelled",
)


class PartnerUnavailable(Exception):  # noqa: N818 (reads as what happened)
    """The partner cannot be reached or answered with a server error: try again later."""


class PartnerRefused(Exception):  # noqa: N818 (reads as what happened)
    """The partner refused this letter for good (invalid file, no address)."""


@dataclass(frozen=True)
class PrintOptions:
    """How to print and post: colour, duplex, postage class."""

    color: bool = False
    duplex: bool = False
    delivery: str = "standard"  # "standard" or "fast"


@dataclass(frozen=True)
class PartnerStatus:
    status: str
    posted_on: dt.date | None = None
    raw: str = ""


class PrintPartner(Plugin):
    """The interface every print partner implements."""

    def upload(
        self, *, pdf: bytes, filename: str, idempotency_key: str, options: PrintOptions
    ) -> str:
        """Hands the letter over; returns the partner's id of it. Raises ``PartnerUnavailable``
        or ``PartnerRefused``."""
        raise NotImplementedError

    def status(self, *, partner_id: str) -> PartnerStatus:
        raise NotImplementedError

    def cancel(self, *, partner_id: str) -> bool:
        """Cancels the letter if it is not printed yet; returns whether it was cancelled."""
        raise NotImplementedError


partners: Registry[PrintPartner] = Registry("print partner")


def print_partner() -> PrintPartner:
    """The partner the deployment is configured for (``NOTICES_PRINT_PARTNER``)."""
    return partners[getattr(settings, "NOTICES_PRINT_PARTNER", "pingen")]
