from typing import Any

from rathaus.modules.selectors import module_activation
from rathaus.tenants.models import Municipality

from .serializers import WEEKDAYS


def contact_details(*, town: Municipality) -> dict[str, Any]:
    """The town's contact settings with opening hours grouped by weekday, for display."""
    settings = dict(module_activation(town=town, key="contact").settings)
    names = dict(WEEKDAYS)
    settings["opening_days"] = [
        {"weekday": names[int(day["weekday"])], "opens": day["opens"], "closes": day["closes"]}
        for day in sorted(
            settings.get("opening_hours", []), key=lambda d: (d["weekday"], d["opens"])
        )
    ]
    return settings
