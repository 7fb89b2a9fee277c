"""The citizen's link to a payment: signed for the town, so it never works on another."""

from django.urls import reverse

from rathaus.tenants.signing import BadToken, town_dumps, town_loads

from .models import Payment

SALT = "payments.payment"


def payment_token(*, payment: Payment) -> str:
    return town_dumps({"p": str(payment.public_id)}, salt=SALT)


def payment_path(*, payment: Payment) -> str:
    """The payment's page on the town's host (pay, see how it stands, the bank details)."""
    return reverse("payments:payment", args=[payment_token(payment=payment)])


def payment_from_token(token: str) -> Payment | None:
    """The current town's payment a link names; ``None`` for a forged or foreign link."""
    try:
        data = town_loads(token, salt=SALT)
    except BadToken:
        return None
    if not isinstance(data, dict):
        return None
    return Payment.objects.filter(public_id=str(data.get("p", ""))).first()
