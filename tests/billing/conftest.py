"""The billing tests' prices; localstripe itself is the whole suite's (``tests/conftest.py``)."""

import pytest

LIST_PRICES = {  # as the migration seeds them; a flushing (transactional) test may remove them
    "module_contact": "19.00",
    "module_news": "29.00",
    "module_appointments": "79.00",
    "module_applications": "99.00",
}


@pytest.fixture(autouse=True)
def list_prices(request: pytest.FixtureRequest) -> None:
    """The seeded prices, there again if a transactional test flushed them; no Stripe ids yet
    (each test empties localstripe)."""
    wanted = [name for name in ("transactional_db", "db") if name in request.fixturenames]
    if not wanted:
        return
    request.getfixturevalue(wanted[0])
    from decimal import Decimal

    from rathaus.billing.models import ModulePrice

    for key, monthly in LIST_PRICES.items():
        for population_from, factor in ((0, 1), (20_000, 2)):
            for interval, months in (("month", 1), ("year", 10)):
                ModulePrice.objects.update_or_create(
                    price_key=key,
                    interval=interval,
                    population_from=population_from,
                    defaults={
                        "amount": Decimal(monthly) * factor * months,
                        "stripe_price_id": "",
                        "stripe_amount": None,
                    },
                )
