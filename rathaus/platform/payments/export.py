"""The treasury's export: one CSV row per payment (semicolons, decimal comma, UTF-8 with BOM,
as spreadsheets and the treasury's import in Germany read it)."""

import csv
import io
from collections.abc import Iterable

from django.utils import timezone

from .models import Payment

COLUMNS = (
    "Kassenzeichen",
    "Angelegt",
    "Betrag",
    "Waehrung",
    "Stand",
    "Zahlweg",
    "Dienst",
    "Bezug",
    "Zweck",
    "Haushaltsstelle",
    "Objektnummer",
    "Bezahlt",
    "Erstattet",
)


def _cell(value: str) -> str:
    # A spreadsheet runs a cell that begins like a formula; text never does here.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _amount(value: object) -> str:
    return f"{value:.2f}".replace(".", ",")


def _when(value: object) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""  # type: ignore[arg-type]


def payments_csv(payments: Iterable[Payment]) -> str:
    """The payments as the treasury's CSV."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for payment in payments:
        writer.writerow(
            [
                payment.kassenzeichen,
                _when(payment.created_at),
                _amount(payment.amount),
                payment.currency,
                payment.get_state_display(),
                payment.provider,
                payment.owner,
                _cell(payment.owner_ref),
                _cell(payment.purpose),
                _cell(payment.budget_line),
                _cell(payment.object_number),
                _when(payment.paid_at),
                _amount(payment.refunded_amount),
            ]
        )
    return out.getvalue()
