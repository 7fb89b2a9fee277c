"""Amounts: ``Decimal`` with two places and a currency, in cents only at a provider's edge."""

from decimal import Decimal, InvalidOperation

CENT = Decimal("0.01")
CURRENCIES = frozenset({"EUR"})


class AmountRefused(ValueError):  # noqa: N818 (reads as what happened)
    """An amount that is no positive Decimal in cents, or a currency not accepted."""


def amount_checked(amount: object, currency: str) -> tuple[Decimal, str]:
    """``amount`` as a Decimal of whole cents and ``currency`` upper-case; raises
    ``AmountRefused`` naming what is wrong (a float is refused: it is no exact amount)."""
    if isinstance(amount, float | bool) or not isinstance(amount, Decimal | int | str):
        raise AmountRefused(f"amount {amount!r}: give a Decimal, not {type(amount).__name__}")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise AmountRefused(f"amount {amount!r} is no number") from None
    if not value.is_finite() or value <= 0:
        raise AmountRefused(f"amount {amount!r} must be more than 0")
    if value != value.quantize(CENT):
        raise AmountRefused(f"amount {amount!r} has more than two decimal places")
    code = (currency or "").strip().upper()
    if code not in CURRENCIES:
        raise AmountRefused(
            f"currency {currency!r} is not accepted (only {', '.join(sorted(CURRENCIES))})"
        )
    return value.quantize(CENT), code


def to_cents(amount: Decimal) -> int:
    """``12.34`` → ``1234`` (what Stripe and ePayBL are sent)."""
    return int((amount.quantize(CENT) * 100).to_integral_value())


def from_cents(cents: int) -> Decimal:
    """``1234`` → ``Decimal("12.34")``."""
    return (Decimal(int(cents)) / 100).quantize(CENT)


def euro_display(amount: Decimal, currency: str = "EUR") -> str:
    """``Decimal("1234.5")`` → ``"1.234,50 €"`` (German grouping and comma)."""
    whole, cents = f"{amount.quantize(CENT):,.2f}".split(".")
    symbol = "€" if currency == "EUR" else currency
    return f"{whole.replace(',', '.')},{cents} {symbol}"
