"""The town's contact settings as plain tables, for the offboarding archive."""

from typing import Any

from rathaus.modules.selectors import module_activation
from rathaus.platform.weekdays import WEEKDAYS
from rathaus.tenants.models import Municipality


def contact_town_export(*, town: Municipality) -> dict[str, list[dict[str, Any]]]:
    """The office's details (one row) and its opening hours (one row per period)."""
    settings = dict(module_activation(town=town, key="contact").settings)
    names = dict(WEEKDAYS)
    hours = [
        {
            "weekday": int(period["weekday"]),
            "weekday_name": str(names[int(period["weekday"])]),
            "opens": period["opens"],
            "closes": period["closes"],
        }
        for period in settings.pop("opening_hours", [])
    ]
    return {"contact": [settings], "opening_hours": hours}
