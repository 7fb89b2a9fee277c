"""Metered usage: the letters a town has posted, counted by a Stripe billing meter.

The notices module's letters go out through the outbox's ``letter`` channel
(once that module lands; until then there are none to count). Hourly,
``billing_letters_report`` counts each town's letters sent since the last
report and sends one meter event of that value. Its identifier names the last
letter counted, so a retry after a crash sends the same event, which Stripe
takes once; the high-water mark is saved only after Stripe has it.
"""

import datetime as dt
import logging

import stripe
from django.db import transaction
from django.db.models import Max
from django_tenants.utils import schema_context

from rathaus.billing.client import stripe_client
from rathaus.billing.models import BillingAccount
from rathaus.billing.services import billing_customer_ensure
from rathaus.tenants.models import Municipality

logger = logging.getLogger(__name__)

LETTERS_EVENT = "rathaus_letters_sent"
LETTER_CHANNEL = "letter"


def letters_meter_ensure() -> str:
    """The id of the billing meter for letters, made if there is none (one per Stripe account)."""
    client = stripe_client()
    for meter in client.v1.billing.meters.list(params={"limit": 100}).auto_paging_iter():
        if meter.event_name == LETTERS_EVENT:
            return meter.id
    meter = client.v1.billing.meters.create(
        params={
            "display_name": "Versandte Briefe",
            "event_name": LETTERS_EVENT,
            "default_aggregation": {"formula": "sum"},
            "customer_mapping": {"type": "by_id", "event_payload_key": "stripe_customer_id"},
        },
        options={"idempotency_key": f"meter-{LETTERS_EVENT}"},
    )
    logger.info("Stripe billing meter %s made for letters", meter.id)
    return meter.id


def billing_letters_report(*, town: Municipality, now: dt.datetime | None = None) -> int:
    """Reports the town's letters sent since the last report; returns how many it reported."""
    from rathaus.platform.messaging.models import OutboxMessage

    account = billing_customer_ensure(town=town)
    with schema_context(town.schema_name):
        sent = OutboxMessage.objects.filter(
            channel=LETTER_CHANNEL,
            state=OutboxMessage.State.SENT,
            pk__gt=account.letters_reported_through,
        )
        found = sent.aggregate(last=Max("pk"))
        last = found["last"]
        count = sent.filter(pk__lte=last).count() if last else 0
    if not count:
        return 0
    letters_meter_ensure()
    params: dict[str, object] = {
        "event_name": LETTERS_EVENT,
        "identifier": f"letters-{town.pk}-{town.ags}-{last}",
        "payload": {"stripe_customer_id": account.stripe_customer_id, "value": str(count)},
    }
    if now is not None:
        params["timestamp"] = int(now.timestamp())
    try:
        stripe_client().v1.billing.meter_events.create(params=params)  # type: ignore[arg-type]
    except stripe.InvalidRequestError as error:
        if "identifier" not in str(error):
            raise
        logger.info("Letters up to %s of %s were reported already", last, town.ags)
    with transaction.atomic(durable=True):
        BillingAccount.objects.filter(pk=account.pk).update(letters_reported_through=last)
    return count
