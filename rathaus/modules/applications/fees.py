"""A form's fee, paid online after sending through the platform's payments port.

A form with a ``payment`` section names a computed field as its fee. When the town
offers a way to pay online, a case with a fee above zero is sent "waiting for
payment"; the citizen picks a way to pay on its payment page (a link signed for
the town), tries again or picks another way after a failure, and the payment's
listener (``ApplicationFees``) moves the case to "received" once it is paid.
"""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from rathaus.platform.audit.services import Actor, audit_record
from rathaus.platform.identity.models import User
from rathaus.platform.payments import selectors as payment_selectors
from rathaus.platform.payments import services as payments
from rathaus.platform.payments.models import Payment
from rathaus.platform.payments.registry import Listener
from rathaus.tenants.current import current_town
from rathaus.tenants.models import Municipality
from rathaus.tenants.signing import BadToken, town_dumps, town_loads

from .definition import text_in
from .models import Submission

OWNER = "applications"
PAY_SALT = "applications.pay"


def fee_due(*, definition: dict[str, Any], answers: dict[str, Any]) -> Decimal | None:
    """The fee to pay online for these (sent) answers, or ``None``: the form has none, it is
    zero, or the town offers no way to pay online (then it is set by notice, as before)."""
    spec = definition.get("payment")
    if not spec:
        return None
    try:
        amount = Decimal(str(answers.get(spec["amount"]) or "0"))
    except InvalidOperation:
        return None
    if amount <= 0 or not payment_selectors.providers_enabled():
        return None
    return amount.quantize(Decimal("0.01"))


def pay_token(*, submission: Submission) -> str:
    return town_dumps({"case": submission.reference}, salt=PAY_SALT)


def pay_path(*, submission: Submission) -> str:
    """The case's payment page (a link signed for the town; another town's host refuses it)."""
    return reverse("applications:pay", args=[pay_token(submission=submission)])


def submission_from_pay_token(token: str) -> Submission | None:
    try:
        data = town_loads(token, salt=PAY_SALT)
    except BadToken:
        return None
    reference = data.get("case") if isinstance(data, dict) else None
    return (
        Submission.objects.select_related("form", "version").filter(reference=reference).first()
        if isinstance(reference, str)
        else None
    )


def case_payments(*, submission: Submission) -> list[Payment]:
    """The case's payments, newest first (one per attempt)."""
    return list(payment_selectors.payments_of(owner=OWNER, owner_ref=submission.reference))


def case_payment_start(
    *, town: Municipality, submission: Submission, provider: str, user: User | None
) -> Payment:
    """The payment to go on with for the case's fee, by ``provider``.

    An open payment by the same way is taken up again; one by another way is
    cancelled first (at the provider too), so a case never has two open payments.
    The amount is the fee worked out when the case was sent, never a request's.
    """
    definition = submission.version.definition
    spec = definition.get("payment") or {}
    amount = Decimal(str(submission.answers.get(spec.get("amount", ""), "0") or "0"))
    for payment in case_payments(submission=submission):
        if payment.state not in (Payment.State.STARTED, Payment.State.PROCESSING):
            continue
        if payment.provider == provider:
            return payment
        payments.payment_cancel(town=town, payment=payment, actor=Actor.system(OWNER))
    purpose = f"{text_in(spec.get('purpose'), submission.language or 'de')} {submission.reference}"
    payment = payments.payment_request(
        town=town,
        owner=OWNER,
        owner_ref=submission.reference,
        amount=amount,
        currency="EUR",
        purpose=purpose,
        provider=provider,
        user=user,
        budget_line=str(spec.get("budget_line", "")),
        object_number=str(spec.get("object_number", "")),
        return_path=pay_path(submission=submission),
    )
    return payment


class ApplicationFees(Listener):
    """Paid: the case waiting for its fee is received (audited). Failed or refunded: the case
    stays as it is; the citizen may pay again from the case's payment page."""

    @transaction.atomic
    def paid(self, *, payment: Payment) -> None:
        moved = Submission.objects.filter(
            reference=payment.owner_ref, status=Submission.Status.AWAITING_PAYMENT
        ).update(status=Submission.Status.RECEIVED, status_changed_at=timezone.now())
        if moved:
            audit_record(
                town=current_town(),
                actor=Actor.system("payments"),
                action="applications.case.paid",
                target=payment.owner_ref,
                before=Submission.Status.AWAITING_PAYMENT,
                after={"status": Submission.Status.RECEIVED, "payment": payment.kassenzeichen},
            )
