"""Letters a town posted reach Stripe's billing meter once each, however often the job runs."""

import stripe
from django_tenants.utils import tenant_context

from rathaus.billing.meters import LETTERS_EVENT, billing_letters_report, letters_meter_ensure
from rathaus.billing.models import BillingAccount
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.tenants.models import Municipality


def _letters(town: Municipality, *states: str) -> None:
    """Rows as the notices module's ``letter`` channel leaves them in the outbox."""
    with tenant_context(town):
        start = OutboxMessage.objects.count()
        for number, state in enumerate(states, start=start):
            OutboxMessage.objects.create(
                key=f"letter-{number}",
                channel="letter",
                kind="notices.letter",
                address="Breite Straße 1, 39517 Tangerhütte",
                state=state,
                language="de",
            )


def _used(api: stripe.StripeClient, town: Municipality) -> int:
    meter = letters_meter_ensure()
    customer = BillingAccount.objects.get(town=town).stripe_customer_id
    summaries = api.v1.billing.meters.event_summaries.list(
        meter, params={"customer": customer, "start_time": 0, "end_time": 2**40}
    )
    return int(summaries.data[0].aggregated_value)


def test_the_meter_is_made_once(db: None, stripe_api: stripe.StripeClient) -> None:
    first = letters_meter_ensure()
    assert letters_meter_ensure() == first
    [meter] = stripe_api.v1.billing.meters.list().data
    assert meter.event_name == LETTERS_EVENT


def test_sent_letters_are_reported_once_and_new_ones_next_time(
    town_a: Municipality, stripe_api: stripe.StripeClient
) -> None:
    _letters(town_a, "sent", "sent", "pending", "failed", "sent")

    assert billing_letters_report(town=town_a) == 3
    assert billing_letters_report(town=town_a) == 0  # the hourly job again
    assert _used(stripe_api, town_a) == 3

    _letters(town_a, "sent")
    assert billing_letters_report(town=town_a) == 1
    assert _used(stripe_api, town_a) == 4


def test_a_retry_after_a_crash_sends_the_same_event_which_counts_once(
    town_a: Municipality, stripe_api: stripe.StripeClient
) -> None:
    _letters(town_a, "sent", "sent")
    billing_letters_report(town=town_a)
    BillingAccount.objects.filter(town=town_a).update(letters_reported_through=0)  # not saved

    assert billing_letters_report(town=town_a) == 2  # sent again, with the same identifier
    assert _used(stripe_api, town_a) == 2
    assert BillingAccount.objects.get(town=town_a).letters_reported_through > 0


def test_a_town_without_letters_sends_nothing(
    town_b: Municipality, stripe_api: stripe.StripeClient
) -> None:
    assert billing_letters_report(town=town_b) == 0
    assert stripe_api.v1.billing.meters.list().data == []
